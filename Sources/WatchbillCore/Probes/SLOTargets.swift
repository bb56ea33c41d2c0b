/// What "good" means for one target. The defaults are the SLA the team signed up to:
/// uptime 99.9 %, P95 under 500 ms, error rate under 0.1 %, over 30 days.
public struct SLOTargets: Sendable, Equatable {
    /// Fraction of probes that must succeed (0.999).
    public var availability: Double
    /// A successful probe slower than this is a slow one (seconds).
    public var latencyThreshold: Double
    /// Fraction of successful probes that must beat the threshold (0.95: "P95 < 500 ms").
    public var latencyTarget: Double
    /// Error rate above which the error column turns red (0.001).
    public var errorRate: Double
    /// The error budget's window in seconds (30 days).
    public var window: Double
    /// A burn rate over a window with fewer probes than this is not trusted.
    public var minProbes: Int

    public init(availability: Double = 0.999, latencyThreshold: Double = 0.5, latencyTarget: Double = 0.95,
                errorRate: Double = 0.001, window: Double = 30 * 86_400, minProbes: Int = 10) {
        self.availability = availability
        self.latencyThreshold = latencyThreshold
        self.latencyTarget = latencyTarget
        self.errorRate = errorRate
        self.window = window
        self.minProbes = minProbes
    }

    /// The SLA targets from the team's infrastructure reference.
    public static let sla = SLOTargets()

    /// Targets read from elsewhere (a recording) with every value a target can have: a
    /// fraction in (0, 1), a positive finite time, a window of at most a year, at least one
    /// probe; anything else becomes the SLA's value rather than a trap further on.
    public var sanitized: SLOTargets {
        func fraction(_ v: Double, _ fallback: Double) -> Double { v.isFinite && v > 0 && v < 1 ? v : fallback }
        func seconds(_ v: Double, _ fallback: Double, max: Double) -> Double { v.isFinite && v > 0 && v <= max ? v : fallback }
        return SLOTargets(availability: fraction(availability, Self.sla.availability),
                          latencyThreshold: seconds(latencyThreshold, Self.sla.latencyThreshold, max: 3600),
                          latencyTarget: fraction(latencyTarget, Self.sla.latencyTarget),
                          errorRate: fraction(errorRate, Self.sla.errorRate),
                          window: seconds(window, Self.sla.window, max: 366 * 86_400),
                          minProbes: min(max(1, minProbes), 1_000_000))
    }
}
