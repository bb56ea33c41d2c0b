import WatchbillCore
import FoundationEssentials

/// Prometheus' query API answers (`/api/v1/query`, `/api/v1/query_range`): what a fleet
/// read from Prometheus needs, each series with its labels, values as numbers (Prometheus
/// sends them as strings, `NaN` and `+Inf` included).
public enum PrometheusAPI {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public struct Sample: Sendable, Equatable {
        public var labels: [String: String]
        public var value: Double

        public static func == (a: Sample, b: Sample) -> Bool {
            a.labels == b.labels && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
        }
    }

    public struct Series: Sendable, Equatable {
        public var labels: [String: String]
        public var points: [(t: Double, v: Double)]

        public static func == (a: Series, b: Series) -> Bool {
            a.labels == b.labels && a.points.count == b.points.count
                && zip(a.points, b.points).allSatisfy { $0.t == $1.t && ($0.v == $1.v || ($0.v.isNaN && $1.v.isNaN)) }
        }
    }

    /// `[time, "value"]` as Prometheus writes a point.
    private struct Point: Decodable {
        var t: Double
        var v: Double
        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            t = try c.decode(Double.self)
            let text = try c.decode(String.self)
            guard let v = PrometheusAPI.number(text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(text) is not a number")
            }
            self.v = v
        }
    }

    private struct Answer<Result: Decodable>: Decodable {
        struct Data: Decodable {
            var resultType: String
            var result: Result
        }
        var status: String
        var data: Data?
        var error: String?
        var errorType: String?
    }

    private struct VectorItem: Decodable {
        var metric: [String: String]
        var value: Point
    }

    private struct MatrixItem: Decodable {
        var metric: [String: String]
        var values: [Point]
    }

    /// What every answer has: whether it worked, and what kind of result it holds.
    private struct Header: Decodable {
        struct Data: Decodable { var resultType: String }
        var status: String
        var data: Data?
        var error: String?
        var errorType: String?
    }

    /// An instant query's vector (a scalar answer is one sample without labels).
    public static func vector(_ bytes: [UInt8]) throws(Failure) -> [Sample] {
        switch try resultType(bytes) {
        case "scalar":
            let answer: Answer<Point> = try decode(bytes)
            return answer.data.map { [Sample(labels: [:], value: $0.result.v)] } ?? []
        case "vector":
            let answer: Answer<[VectorItem]> = try decode(bytes)
            return answer.data?.result.map { Sample(labels: $0.metric, value: $0.value.v) } ?? []
        case let other:
            throw Failure(description: "expected a vector, got \(other)")
        }
    }

    /// A range query's matrix.
    public static func matrix(_ bytes: [UInt8]) throws(Failure) -> [Series] {
        let type = try resultType(bytes)
        guard type == "matrix" else { throw Failure(description: "expected a matrix, got \(type)") }
        let answer: Answer<[MatrixItem]> = try decode(bytes)
        // A point at a time no clock reads (1e300, NaN) is damage: dropped, never converted.
        return answer.data?.result.map { item in
            Series(labels: item.metric, points: item.values.filter { $0.t.isFinite && abs($0.t) < 1e11 }.map { ($0.t, $0.v) })
        } ?? []
    }

    /// The result's type, or the error Prometheus gave instead.
    private static func resultType(_ bytes: [UInt8]) throws(Failure) -> String {
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes))
        } catch {
            throw Failure(description: "not a Prometheus query answer (\(RemoteAlertsReader.brief(error)))")
        }
        guard header.status == "success" else {
            throw Failure(description: "Prometheus said \(header.errorType ?? header.status): \(header.error ?? "no reason")")
        }
        return header.data?.resultType ?? "nothing"
    }

    private static func decode<R: Decodable>(_ bytes: [UInt8]) throws(Failure) -> Answer<R> {
        do {
            return try JSONDecoder().decode(Answer<R>.self, from: Data(bytes))
        } catch {
            throw Failure(description: "not a Prometheus query answer (\(RemoteAlertsReader.brief(error)))")
        }
    }

    static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }

    /// `/api/v1/query?query=...` with the query percent-encoded (RFC 3986 unreserved kept).
    /// A fetched answer's vector; a failed fetch is the failure, in its words (`timeout`).
    public static func vector(_ result: FetchResult) throws(Failure) -> [Sample] {
        switch result {
        case .failed(let why): throw Failure(description: why)
        case .body(let bytes, _): return try vector(bytes)
        }
    }

    public static func matrix(_ result: FetchResult) throws(Failure) -> [Series] {
        switch result {
        case .failed(let why): throw Failure(description: why)
        case .body(let bytes, _): return try matrix(bytes)
        }
    }

    public static func queryPath(_ promql: String, time: Double? = nil) -> String {
        var path = "/api/v1/query?query=" + encode(promql)
        if let time { path += "&time=\(time)" }
        return path
    }

    public static func rangePath(_ promql: String, start: Double, end: Double, step: Double) -> String {
        "/api/v1/query_range?query=\(encode(promql))&start=\(start)&end=\(end)&step=\(step)"
    }

    static func encode(_ s: String) -> String { URLQuery.escape(s) }
}
