import Foundation
import Testing
import WatchbillCore
import WatchbillFleet
import WatchbillRuntime
import WatchbillScreen

/// Prometheus' answers (captured from Debian's Prometheus 2.42, in the fleet tests'
/// fixtures) made into a round of the fleet table.
@Suite struct PrometheusFleetRoundTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../WatchbillFleetTests/Fixtures").standardized
    static func fixture(_ name: String) throws -> FetchResult {
        .body(Array(try Data(contentsOf: fixtures.appendingPathComponent(name))))
    }
    static let empty = FetchResult.body(Array(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#.utf8))

    @Test func requestsAreTheColumnsThenTheHistory() {
        let fleet = PrometheusFleet(job: "node")
        let r = PrometheusFleetRound.requests(fleet, base: "http://p:9090", interval: 5, now: 1000.5, headers: [], timeout: 4)
        #expect(r.count == PrometheusFleet.Column.allCases.count + 1)
        #expect(r[0].url == "http://p:9090" + PrometheusAPI.queryPath("up{job=\"node\"}"))
        #expect(r.last!.url.contains("/api/v1/query_range?") && r.last!.url.contains("start=880") && r.last!.url.contains("end=1000"))
        #expect(r.allSatisfy { $0.accept == "application/json" && $0.timeout == 4 })
    }

    @Test func anUpHostAndAFailedColumn() throws {
        let fleet = PrometheusFleet()
        var answers = Array(repeating: Self.empty, count: PrometheusFleet.Column.allCases.count)
        answers[PrometheusFleet.Column.up.rawValue] = try Self.fixture("prometheus-query-vector.json")
        answers[PrometheusFleet.Column.cpu.rawValue] = .failed("timeout")
        answers[PrometheusFleet.Column.memory.rawValue] = try Self.fixture("prometheus-query-error.json")
        let round = PrometheusFleetRound(fleet, answers: answers)
        #expect(round.hosts.map(\.instance) == ["127.0.0.1:19100"] && round.hosts[0].up)
        #expect(round.problems.map(\.column) == [.cpu, .memory])
        #expect(!round.sourceDown)
        #expect(round.problemText?.hasPrefix("cpu: timeout; memory: ") == true)
        let rows = PrometheusFleetRound.rows(round.hosts, problems: round.problems, age: 2)
        #expect(rows.count == 1 && rows[0].status == .up && rows[0].cpu == nil && rows[0].age == 2)
    }

    @Test func withoutUpTheHostsAreStaleNotDown() {
        let before = [PrometheusFleet.Host(instance: "a:9100", name: "a", up: true, cpuHistory: []),
                      PrometheusFleet.Host(instance: "b:9100", name: "b", up: false, cpuHistory: [])]
        let round = PrometheusFleetRound(PrometheusFleet(), answers: [.failed("connection refused")])
        #expect(round.sourceDown)
        #expect(round.hosts.isEmpty)
        // A batch cut short: every column after the answers is missing too.
        #expect(round.problems.count == PrometheusFleet.Column.allCases.count)
        let rows = PrometheusFleetRound.rows(before, problems: round.problems, age: 30)
        guard case .stale(let why) = rows[0].status else { Issue.record("\(rows[0].status)"); return }
        #expect(why.hasPrefix("prometheus: up: connection refused"))
        #expect(rows[1].status == FleetRow.Status.down("prometheus says up = 0"))
    }
}

@Suite struct NodeExporterRowsTests {
    @Test func aScrapedHostsRow() {
        var fleet = Fleet(targets: ["a:1", "b:1"].map { FleetTarget($0)! }, history: 60, interval: 5)
        let page = "node_memory_MemTotal_bytes 1000\nnode_memory_MemAvailable_bytes 250\nnode_memory_MemFree_bytes 100\n"
            + "node_filesystem_size_bytes{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"} 100\n"
            + "node_filesystem_avail_bytes{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"} 20\n"
            + "node_filesystem_free_bytes{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"} 25\n"
        fleet.update([.body(Array(page.utf8)), .failed("refused")], time: 10, wallClock: 1000, seconds: 0.1)
        let up = NodeExporterRows.row(fleet.hosts[0], now: 1003, points: 10)
        #expect(up.id == "a:1" && up.status == .up && up.age == 3)
        #expect(up.memory == 0.75)
        #expect(up.worstDisk?.mount == "/" && abs((up.worstDisk?.used ?? 0) - 75.0 / 95) < 1e-9, "df's used / (used + available)")
        let down = NodeExporterRows.row(fleet.hosts[1], now: 1003, points: 10)
        #expect(down.status == .down("refused") && down.age == nil && down.memory == nil)
    }
}
