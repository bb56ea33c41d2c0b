import Foundation
import Testing
import WatchbillCore
@testable import WatchbillFleet

/// Service latency from Prometheus: the queries a histogram is read with, and answers made
/// into rows (answers captured from Debian's Prometheus 2.42 reading its own
/// `prometheus_http_request_duration_seconds` by handler).
@Suite struct PrometheusLatencyTests {
    static let byHandler = LatencyHistogramSpec(name: "api", histogram: "prometheus_http_request_duration_seconds",
                                                match: #"handler=~"/api/v1/query.*""#, by: ["handler"], window: 60)

    @Test func queriesAreTheGrafanaOnes() {
        let plain = LatencyHistogramSpec(name: "all", histogram: "http_request_duration_seconds")
        let l = PrometheusLatency([Self.byHandler, plain])
        #expect(l.queries.count == 8 && l.historyQueries.count == 2)
        #expect(l.queries[1] == #"histogram_quantile(0.95, sum by (le, handler) (rate(prometheus_http_request_duration_seconds_bucket{handler=~"/api/v1/query.*"}[1m])))"#)
        #expect(l.queries[3] == #"sum by (handler) (rate(prometheus_http_request_duration_seconds_count{handler=~"/api/v1/query.*"}[1m]))"#)
        #expect(l.queries[4] == "histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))")
        #expect(l.queries[7] == "sum (rate(http_request_duration_seconds_count[5m]))")
        #expect(l.historyQueries[1] == l.queries[5])
    }

    @Test func capturedAnswersBecomeARowPerHandler() throws {
        func vector(_ name: String) throws -> [PrometheusAPI.Sample] { try PrometheusAPI.vector(try PrometheusAPITests.fixture(name)) }
        let p95 = try vector("latency-p95"), rate = try vector("latency-rate")
        let range = try PrometheusAPI.matrix(try PrometheusAPITests.fixture("latency-p95-range"))
        // p50 and p99 did not answer: their cells stay empty, the rest is shown.
        let rows = PrometheusLatency([Self.byHandler]).rows([[], p95, [], rate], history: [range], historyEnd: 1_796_174_379)
        #expect(rows.map(\.name) == ["api /api/v1/query", "api /api/v1/query_range"])
        #expect(rows[0].p95 == 0.095 && rows[0].p50 == nil && rows[0].requestsPerSecond == 3.061628070175438)
        #expect(rows[1].p95 == 0.09500000000000001 && rows[1].requestsPerSecond == 0.6262421052631578)
        #expect(rows.allSatisfy { $0.state == .ok && $0.threshold == 0.5 })
        // The newest point lands in the last of the 24 cells.
        #expect(rows[0].p95History.count == 24 && rows[0].p95History.last == 0.095 && rows[0].p95History.dropLast().allSatisfy { $0 == nil })
    }

    @Test func idleSlowAndMissingHistograms() {
        let slow = LatencyHistogramSpec(name: "slow", histogram: "a", threshold: 0.2)
        let idle = LatencyHistogramSpec(name: "idle", histogram: "b")
        let missing = LatencyHistogramSpec(name: "missing", histogram: "c")
        let summary = LatencyHistogramSpec(name: "summary", histogram: "d")
        func one(_ v: Double) -> [PrometheusAPI.Sample] { [.init(labels: [:], value: v)] }
        let end = 10_000.0
        let history = PrometheusAPI.Series(labels: [:], points: [(end - 1800 + 75, 0.1), (end - 75, .nan), (end, 0.25)])
        let rows = PrometheusLatency([slow, idle, missing, summary]).rows(
            [one(0.05), one(0.2), one(0.9), one(12.5),
             one(.nan), one(.nan), one(.nan), one(0),
             [], [], [], [],
             [], [], [], one(4)],
            history: [[history], [], [], []], historyEnd: end)
        #expect(rows.map(\.name) == ["slow", "idle", "missing", "summary"])
        // At the threshold is over it: "P95 < 500 ms" is strict.
        #expect(rows[0].state == .slow && rows[0].p99 == 0.9 && rows[0].requestsPerSecond == 12.5)
        #expect(rows[0].p95History.first == 0.1 && rows[0].p95History[22] == nil && rows[0].p95History[23] == 0.25)
        #expect(rows[1].state == .idle && rows[1].p95 == nil && rows[1].requestsPerSecond == 0)
        #expect(rows[2].state == .noData && rows[2].p95History.isEmpty)
        // Requests but no buckets (a summary named as a histogram): not idle, no data.
        #expect(rows[3].state == .noData && rows[3].requestsPerSecond == 4)
    }
}
