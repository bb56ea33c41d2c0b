import WatchbillCore

/// A multiwindow burn-rate condition (Google's SRE workbook): both windows must burn the
/// budget faster than `factor`, the long one so a blip does not page, the short one so the
/// alert stops soon after the burn does.
public struct BurnRule: Sendable, Equatable {
    public var long: Double
    public var short: Double
    public var factor: Double
    /// "P1" pages (fast burn), "P2" opens a ticket (slow burn).
    public var severity: String

    public static let standard: [BurnRule] = [
        BurnRule(long: 3600, short: 300, factor: 14.4, severity: "P1"),
        BurnRule(long: 6 * 3600, short: 1800, factor: 6, severity: "P1"),
        BurnRule(long: 86_400, short: 2 * 3600, factor: 3, severity: "P2"),
        BurnRule(long: 3 * 86_400, short: 6 * 3600, factor: 1, severity: "P2"),
    ]

    public var name: String { "\(spanLabel(long))/\(spanLabel(short)) > \(factor.formatted1)x" }
}

/// The plain word for an SLO's health.
public enum SLOStatus: String, Sendable, Codable {
    case ok = "OK"
    case atRisk = "AT RISK"
    case breached = "BREACHED"
    case noData = "NO DATA"
}

/// One SLI (availability or latency) against its objective.
public struct SLIReport: Sendable, Equatable {
    /// The SLI over the SLO window, as a fraction (0.9995); nil without probes.
    public var value: Double?
    public var objective: Double
    /// Error budget left over the SLO window: 1 untouched, 0 spent, negative overspent.
    public var budgetLeft: Double?
    /// Burn rate per window length in seconds (5m, 30m, 1h, 2h, 6h, 1d, 3d); nil where the
    /// window has fewer probes than `minProbes` and is not trusted.
    public var burnRates: [Double: Double]
    /// The burn rules whose both windows are over their factor.
    public var firing: [BurnRule]
}

/// Everything the SLO pane says about a target.
public struct SLOReport: Sendable, Equatable {
    public var availability: SLIReport
    public var latency: SLIReport
    /// Failed over all probes across the SLO window.
    public var errorRate: Double?
    public var probes: Int
    public var status: SLOStatus

    public static let burnWindows: [Double] = [300, 1800, 3600, 7200, 6 * 3600, 86_400, 3 * 86_400]

    /// Budget below this fraction counts as at risk even without a fast burn.
    public static let lowBudget = 0.25

    public init(counters: SLICounters, targets: SLOTargets, at time: Double, rules: [BurnRule] = BurnRule.standard) {
        let whole = counters.counts(overLast: targets.window, at: time)
        // Clamped: a recording's probe list is input, and any number may come from it.
        let minProbes = UInt32(clamping: max(1, targets.minProbes))
        var perWindow: [Double: SLICounts] = [:]
        for w in SLOReport.burnWindows { perWindow[w] = counters.counts(overLast: w, at: time) }
        for r in rules {
            for w in [r.long, r.short] where perWindow[w] == nil { perWindow[w] = counters.counts(overLast: w, at: time) }
        }

        func report(objective: Double, ratio: (SLICounts) -> Double?, base: (SLICounts) -> UInt32) -> SLIReport {
            let allowed = max(1e-9, 1 - objective)
            var rates: [Double: Double] = [:]
            for (w, c) in perWindow where base(c) >= minProbes {
                if let r = ratio(c) { rates[w] = r / allowed }
            }
            let firing = rules.filter { r in
                guard let l = rates[r.long], let s = rates[r.short] else { return false }
                return l >= r.factor && s >= r.factor
            }
            let bad = ratio(whole)
            return SLIReport(value: bad.map { 1 - $0 }, objective: objective,
                             budgetLeft: bad.map { 1 - $0 / allowed }, burnRates: rates, firing: firing)
        }

        availability = report(objective: targets.availability, ratio: \.errorRatio, base: \.total)
        latency = report(objective: targets.latencyTarget, ratio: \.slowRatio, base: \.good)
        errorRate = whole.errorRatio
        probes = Int(whole.total)
        if whole.total < minProbes {
            status = .noData
        } else if (availability.budgetLeft ?? 1) <= 0 || (latency.budgetLeft ?? 1) <= 0 {
            status = .breached
        } else if !availability.firing.isEmpty || !latency.firing.isEmpty
                    || (availability.budgetLeft ?? 1) < SLOReport.lowBudget || (latency.budgetLeft ?? 1) < SLOReport.lowBudget {
            status = .atRisk
        } else {
            status = .ok
        }
    }
}

extension Double {
    var formatted1: String {
        guard isFinite, abs(self) < 1e15 else { return "\(self)" }
        let r = (self * 10).rounded() / 10
        return r == r.rounded() ? "\(Int(r))" : "\(r)"
    }
}

/// Short spans for labels: 5m, 6h, 3d.
public func spanLabel(_ seconds: Double) -> String {
    guard seconds.isFinite, abs(seconds) < 1e15 else { return "?" }
    if seconds >= 86_400 && seconds.truncatingRemainder(dividingBy: 86_400) == 0 { return "\(Int(seconds / 86_400))d" }
    if seconds >= 3600 && seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
    if seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
    return "\(Int(seconds))s"
}
