import Foundation
import Testing
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
        #expect(f.queries[2] == "1 - avg by (instance) (rate(node_cpu_seconds_total{job=\"node \\\"prod\\\"\",mode=\"idle\"}[1m]))")
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
