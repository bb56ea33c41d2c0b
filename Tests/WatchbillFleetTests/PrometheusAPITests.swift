import Foundation
import Testing
import WatchbillRules
import WatchbillCore
@testable import WatchbillFleet

/// Answers captured from Debian's Prometheus 2.42 query API: a vector, a computed vector, a
/// matrix, a scalar and an error.
@Suite struct PrometheusAPITests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: RemoteAlertsTests.fixtures.appendingPathComponent("prometheus-query-\(name).json")))
    }

    @Test func vectorsScalarsAndMatrices() throws {
        #expect(try PrometheusAPI.vector(try Self.fixture("vector"))
                == [.init(labels: ["__name__": "up", "instance": "127.0.0.1:19100", "job": "node"], value: 1)])
        #expect(try PrometheusAPI.vector(try Self.fixture("cpu")) == [.init(labels: ["instance": "127.0.0.1:19100"], value: 0.8825643333333326)])
        #expect(try PrometheusAPI.vector(try Self.fixture("scalar")) == [.init(labels: [:], value: 1)])
        let m = try PrometheusAPI.matrix(try Self.fixture("matrix"))
        #expect(m.count == 1 && m[0].labels["instance"] == "127.0.0.1:19100")
        #expect(m[0].points.map(\.t) == [1_796_170_070, 1_796_170_071, 1_796_170_072] && m[0].points.allSatisfy { $0.v == 0.57 })
    }

    @Test func pointsAtNoTimeAClockReadsAreDropped() throws {
        let text = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"instance":"a"},"values":[[1e300,"1"],[1796170070,"2"],[-1e300,"3"]]}]}}"#
        let m = try PrometheusAPI.matrix(Array(text.utf8))
        #expect(m.first?.points.map(\.t) == [1_796_170_070] && m.first?.points.map(\.v) == [2])
    }

    @Test func errorsAndGarbageSaySo() throws {
        #expect(throws: PrometheusAPI.Failure(description: "Prometheus said bad_data: invalid parameter \"query\": 1:9: parse error: missing unit character in duration")) {
            try PrometheusAPI.vector(try Self.fixture("error"))
        }
        #expect(throws: PrometheusAPI.Failure(description: "expected a matrix, got vector")) {
            try PrometheusAPI.matrix(try Self.fixture("vector"))
        }
        #expect(throws: PrometheusAPI.Failure(description: "not a Prometheus query answer (not JSON)")) {
            try PrometheusAPI.vector(Array("<html>".utf8))
        }
        #expect(try PrometheusAPI.vector(Array(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]},{"metric":{"a":"b"},"value":[1,"+Inf"]}]}}"#.utf8))
                == [.init(labels: [:], value: .nan), .init(labels: ["a": "b"], value: .infinity)])
    }

    @Test func queriesAreEncoded() {
        #expect(PrometheusAPI.queryPath("up{job=\"node\"}") == "/api/v1/query?query=up%7Bjob%3D%22node%22%7D")
        #expect(PrometheusAPI.rangePath("a b", start: 1, end: 2, step: 0.5) == "/api/v1/query_range?query=a%20b&start=1.0&end=2.0&step=0.5")
    }
}

/// The fleet's queries and how their answers become hosts.
@Suite struct PrometheusFleetTests {
    typealias S = PrometheusAPI.Sample

    @Test func queriesNameTheJob() {
        let f = PrometheusFleet(job: "node \"prod\"")
        #expect(f.queries[0] == "up{job=\"node \\\"prod\\\"\"}")
        #expect(f.queries[2] == "sum by (instance) (rate(node_cpu_seconds_total{job=\"node \\\"prod\\\"\",mode!~\"idle|iowait\"}[1m]))"
                + " / sum by (instance) (rate(node_cpu_seconds_total{job=\"node \\\"prod\\\"\"}[1m]))")
        // Every query is PromQL as Prometheus 2.42 parses it.
        for q in f.queries + [f.cpuHistoryQuery] { #expect(throws: Never.self) { try Parser.parse(q) } }
        #expect(f.queries.count == PrometheusFleet.Column.allCases.count)
    }

    @Test func answersBecomeHosts() {
        let f = PrometheusFleet()
        let answers: [[S]] = [
            [S(labels: ["instance": "b:9100", "job": "node"], value: 1), S(labels: ["instance": "a:9100"], value: 0)],
            [S(labels: ["instance": "b:9100", "nodename": "web-02"], value: 1)],
            [S(labels: ["instance": "b:9100"], value: 0.25)],
            [S(labels: ["instance": "b:9100"], value: 0.5)],
            [S(labels: ["instance": "b:9100", "mountpoint": "/"], value: 0.4), S(labels: ["instance": "b:9100", "mountpoint": "/var"], value: 0.9),
             S(labels: ["instance": "b:9100", "mountpoint": "/boot"], value: .nan)],
            [S(labels: ["instance": "b:9100"], value: 1000)],
            [S(labels: ["instance": "b:9100"], value: 2000)],
        ]
        let history = [PrometheusAPI.Series(labels: ["instance": "b:9100"], points: [(1, 0.2), (2, 0.3)])]
        let hosts = f.hosts(answers, cpuHistory: history)
        #expect(hosts.map(\.instance) == ["a:9100", "b:9100"])
        // a is down: up = 0 and nothing else known.
        #expect(hosts[0] == PrometheusFleet.Host(instance: "a:9100", name: "a:9100", up: false, cpuHistory: []))
        let b = hosts[1]
        #expect(b.name == "web-02" && b.up && b.cpu == 0.25 && b.memory == 0.5 && b.rx == 1000 && b.tx == 2000)
        #expect(b.worstDisk?.mount == "/var" && b.worstDisk?.used == 0.9 && b.cpuHistory == [0.2, 0.3])
        // Missing answers (a query that failed) leave their columns empty, not the table.
        #expect(f.hosts([answers[0]], cpuHistory: []).map(\.cpu) == [nil, nil])
    }
}

/// One opened host from Prometheus: its queries and the snapshot their answers make.
@Suite struct PrometheusHostTests {
    typealias S = PrometheusAPI.Sample

    @Test func answersMakeTheSnapshotThePanesDraw() {
        let host = PrometheusHost(instance: "web-01:9100", job: "node")
        #expect(host.queries.count == PrometheusHost.Query.allCases.count && host.graphQueries.count == 4)
        #expect(host.queries[0] == "rate(node_cpu_seconds_total{instance=\"web-01:9100\",job=\"node\"}[1m])")
        var answers = Array(repeating: [S](), count: PrometheusHost.Query.allCases.count)
        answers[PrometheusHost.Query.cpu.rawValue] = [
            S(labels: ["cpu": "0", "mode": "user"], value: 0.5), S(labels: ["cpu": "0", "mode": "idle"], value: 0.5),
            S(labels: ["cpu": "1", "mode": "system"], value: 0.25), S(labels: ["cpu": "1", "mode": "idle"], value: 0.75),
        ]
        answers[PrometheusHost.Query.levels.rawValue] = [
            S(labels: ["__name__": "node_memory_MemTotal_bytes"], value: 1000), S(labels: ["__name__": "node_memory_MemFree_bytes"], value: 200),
            S(labels: ["__name__": "node_memory_MemAvailable_bytes"], value: 600),
            S(labels: ["__name__": "node_uname_info", "nodename": "web-01", "release": "6.1.0"], value: 1),
            S(labels: ["__name__": "node_time_seconds"], value: 5000), S(labels: ["__name__": "node_boot_time_seconds"], value: 1000),
            S(labels: ["__name__": "node_load1"], value: 1), S(labels: ["__name__": "node_load5"], value: 2), S(labels: ["__name__": "node_load15"], value: 3),
        ]
        answers[PrometheusHost.Query.filesystems.rawValue] = [
            S(labels: ["__name__": "node_filesystem_size_bytes", "mountpoint": "/", "fstype": "ext4"], value: 100),
            S(labels: ["__name__": "node_filesystem_avail_bytes", "mountpoint": "/", "fstype": "ext4"], value: 30),
            S(labels: ["__name__": "node_filesystem_free_bytes", "mountpoint": "/", "fstype": "ext4"], value: 40),
        ]
        answers[PrometheusHost.Query.diskReads.rawValue] = [S(labels: ["device": "vda"], value: 10)]
        answers[PrometheusHost.Query.diskBusy.rawValue] = [S(labels: ["device": "vda"], value: 0.3)]
        answers[PrometheusHost.Query.netRx.rawValue] = [S(labels: ["device": "eth0"], value: 1000)]
        answers[PrometheusHost.Query.netTx.rawValue] = [S(labels: ["device": "eth0"], value: 500)]
        let s = host.snapshot(answers, time: 1, wallClock: 1)
        #expect(s.host == HostInfo(hostname: "web-01", kernel: "6.1.0") && s.uptimeSeconds == 4000 && s.load?.five == 2)
        #expect(s.coreCount == 2 && s.cpuCores[0]?.user == 0.5 && s.cpuTotal?.busy == 0.375)
        #expect(s.memory?.total == 1000 && s.memory?.available == 600)
        #expect(s.filesystems?.first?.used == 60 && s.filesystems?.first?.available == 30)
        #expect(s.disks?.first?.readsPerSecond == 10 && s.disks?.first?.busy == 0.3)
        #expect(s.interfaces?.first?.rxBytesPerSecond == 1000 && s.interfaces?.first?.txBytesPerSecond == 500)
        // Nothing answered: a host with no figures, named by its address.
        let empty = host.snapshot([], time: 1, wallClock: 1)
        #expect(empty.host.hostname == "web-01:9100" && empty.cpuTotal == nil && empty.memory == nil && empty.disks == nil)
    }
}
