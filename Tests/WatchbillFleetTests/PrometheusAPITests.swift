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
