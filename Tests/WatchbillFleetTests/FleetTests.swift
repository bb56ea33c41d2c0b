import Testing
import WatchbillCore
@testable import WatchbillFleet

@Suite struct FleetTargetTests {
    @Test func targetsFromArguments() {
        #expect(FleetTarget("10.0.0.7:9100")?.instance == "10.0.0.7:9100" && FleetTarget("10.0.0.7:9100")?.url == "http://10.0.0.7:9100/metrics")
        #expect(FleetTarget("db-01")?.url == "http://db-01:9100/metrics")
        #expect(FleetTarget("https://user:pw@node.example:9443")?.url == "https://user:pw@node.example:9443/metrics")
        // The password never becomes the name shown.
        #expect(FleetTarget("https://user:pw@node.example:9443")?.instance == "node.example:9443")
        #expect(FleetTarget("http://h:9100/custom/path")?.url == "http://h:9100/custom/path")
        #expect(FleetTarget("[::1]:9100")?.instance == "[::1]:9100")
        for bad in ["", "a b", "h/x", "http://", "ftp://h"] { #expect(FleetTarget(bad) == nil, "\(bad)") }
    }

    @Test func targetsFileWithCommentsAndAnErrorByLine() throws {
        let list = try FleetTarget.file("# web tier\nweb-01:9100\n\n  web-02   # the canary\nhttps://db-01:9443/metrics\n", path: "fleet.txt")
        #expect(list.map(\.instance) == ["web-01:9100", "web-02:9100", "db-01:9443"])
        #expect(throws: SourceError(file: "fleet.txt", line: 3, cause: "web 03 is not host:port or an http(s) URL")) {
            try FleetTarget.file("a:1\n#\nweb 03\n", path: "fleet.txt")
        }
    }
}

/// A round of scrape results into the fleet: up with a snapshot, down with the reason, and
/// garbage or a non-node_exporter named as such.
@Suite struct FleetUpdateTests {
    @Test func resultsBecomeStatuses() throws {
        var fleet = Fleet(targets: ["a:1", "b:1", "c:1", "d:1"].map { FleetTarget($0)! }, history: 60, interval: 5)
        #expect(fleet.hosts.allSatisfy { $0.status == .waiting })
        let node = Array("node_load1 1\nnode_memory_MemTotal_bytes 100\nnode_memory_MemFree_bytes 50\n".utf8)
        fleet.update([.body(node), .failed("timeout"), .body(Array("<html>\n".utf8)), .body(Array("up 1\n".utf8))],
                     time: 10, wallClock: 1000, seconds: 0.2)
        #expect(fleet.hosts[0].status == .up && fleet.hosts[0].latest?.memory?.total == 100 && fleet.hosts[0].lastGood == 1000)
        #expect(fleet.hosts[1].status == .down("timeout") && fleet.hosts[1].latest == nil)
        guard case .down(let garbage) = fleet.hosts[2].status else { Issue.record("garbage was taken"); return }
        #expect(garbage.hasPrefix("garbage: line 1:"), "\(garbage)")
        #expect(fleet.hosts[3].status == .down("not a node_exporter or windows_exporter (no node_ or windows_ metrics)"))
        // A host that goes down keeps its last figures (shown as stale) and its store.
        fleet.update([.failed("refused"), .failed("timeout"), .failed("timeout"), .failed("timeout")], time: 15, wallClock: 1005, seconds: 0.1)
        #expect(fleet.hosts[0].status == .down("refused") && fleet.hosts[0].latest?.memory?.total == 100 && fleet.hosts[0].lastGood == 1000)
        #expect(fleet.generation == 2 && fleet.hosts[0].name == "a:1")
    }

    /// A timeout after a good answer is STALE (slow, maybe not dead) until the figures are
    /// older than the limit (a minute, or four scrapes); refused is DOWN at once.
    @Test func slowHostsAreStaleThenDown() throws {
        var fleet = Fleet(targets: ["a:1", "b:1"].map { FleetTarget($0)! }, history: 60, interval: 5)
        #expect(fleet.staleLimit == 60 && Fleet(targets: [], history: 60, interval: 30).staleLimit == 120)
        let node = Array("node_load1 1\nnode_memory_MemTotal_bytes 100\nnode_memory_MemFree_bytes 50\n".utf8)
        fleet.update([.body(node), .body(node)], time: 0, wallClock: 1000, seconds: 0.1)
        fleet.update([.failed("timeout"), .failed("refused")], time: 5, wallClock: 1005, seconds: 4)
        #expect(fleet.hosts[0].status == .stale("timeout") && fleet.hosts[0].latest?.memory?.total == 100)
        #expect(fleet.hosts[1].status == .down("refused"))
        fleet.update([.failed("timeout"), .failed("timeout")], time: 59, wallClock: 1059.9, seconds: 4)
        #expect(fleet.hosts[0].status == .stale("timeout"))
        // A host already down stays down on a timeout, however recent its last answer.
        #expect(fleet.hosts[1].status == .down("timeout"))
        fleet.update([.failed("timeout"), .failed("timeout")], time: 60, wallClock: 1060, seconds: 4)
        #expect(fleet.hosts[0].status == .down("timeout") && fleet.hosts[0].lastGood == 1000)
        fleet.update([.body(node), .failed("timeout")], time: 65, wallClock: 1065, seconds: 0.1)
        #expect(fleet.hosts[0].status == .up)
        // The limit runs on the monotonic clock: a wall clock stepped back an hour changes nothing.
        fleet.update([.failed("timeout"), .failed("timeout")], time: 125, wallClock: 1065 - 3600 + 60, seconds: 4)
        #expect(fleet.hosts[0].status == .down("timeout"))
    }
}

@Suite struct Base64Tests {
    /// RFC 4648's test vectors, and basic auth's example from RFC 7617.
    @Test func vectors() {
        let cases = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy",
                     "Aladdin:open sesame": "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="]
        for (plain, encoded) in cases { #expect(Base64.encode(Array(plain.utf8)) == encoded, "\(plain)") }
    }
}
