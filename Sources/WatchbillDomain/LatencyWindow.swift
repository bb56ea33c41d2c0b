/// The span the Latency pane's figures cover; a key cycles through them.
public enum LatencyWindow: String, CaseIterable, Sendable, Codable {
    case oneMinute = "1m"
    case fiveMinutes = "5m"
    case oneHour = "1h"

    public var seconds: Double {
        switch self {
        case .oneMinute: return 60
        case .fiveMinutes: return 300
        case .oneHour: return 3600
        }
    }

    public var next: LatencyWindow {
        let all = LatencyWindow.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// Percentiles of one window's successful probes, in seconds, and how many failed.
public struct LatencyPercentiles: Sendable, Equatable, Codable {
    /// Successful probes (those with a latency).
    public var count: Int
    public var failures = 0
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var p999: Double
    public var max: Double

    public init(count: Int = 0, p50: Double = 0, p90: Double = 0, p95: Double = 0, p99: Double = 0,
                p999: Double = 0, max: Double = 0) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.p999 = p999
        self.max = max
    }

    public static let empty = LatencyPercentiles()

    public var probes: Int { count + failures }
    /// Failed over all probes in the window; nil without probes.
    public var errorRatio: Double? { probes == 0 ? nil : Double(failures) / Double(probes) }
}
