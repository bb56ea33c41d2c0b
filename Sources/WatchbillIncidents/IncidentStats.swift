/// How incidents of a period went against the response and recovery targets. Each time is
/// a median, p90 and count, not a mean: one incident left open over a weekend would make
/// a mean say nothing about the others.
public struct IncidentStats: Sendable, Equatable {
    public struct Measure: Sendable, Equatable {
        public var count: Int
        public var median: Double?
        /// Nearest rank: a time some incident actually took.
        public var p90: Double?
        public var target: Double?
        /// 0–1; nil without a target or without values.
        public var withinTarget: Double?

        public init(_ values: [Double], target: Double? = nil) {
            let sorted = values.sorted()
            count = sorted.count
            self.target = target
            guard !sorted.isEmpty else { return }
            let mid = sorted.count / 2
            median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
            let rank = (9 * sorted.count + 9) / 10  // ⌈0.9 n⌉ in integers: 0.9 is not exact in binary
            p90 = sorted[max(0, rank - 1)]
            if let target {
                withinTarget = Double(sorted.filter { $0 <= target }.count) / Double(sorted.count)
            }
        }
    }

    public var from: Double
    public var to: Double
    /// Incidents detected in [from, to).
    public var total: Int
    public var bySeverity: [Severity: Int]
    public var acknowledge: Measure
    public var mitigate: Measure
    public var restore: Measure

    /// The incidents detected in [from, to), each counted once whatever it became.
    public static func summarize(_ incidents: [Incident], from: Double, to: Double) -> IncidentStats {
        let period = incidents.filter { $0.detectedAt >= from && $0.detectedAt < to }
        var bySeverity: [Severity: Int] = [:]
        for severity in Severity.allCases { bySeverity[severity] = 0 }
        for incident in period { bySeverity[incident.severity, default: 0] += 1 }
        return IncidentStats(
            from: from, to: to, total: period.count, bySeverity: bySeverity,
            acknowledge: Measure(period.compactMap(\.timeToAcknowledge), target: Incident.responseTarget),
            mitigate: Measure(period.compactMap(\.timeToMitigate)),
            restore: Measure(period.compactMap(\.timeToRestore), target: Incident.recoveryTarget))
    }

    public func markdown(timeZoneOffsetSeconds: Int = 0) -> String {
        let time = { (t: Double) in IncidentFormat.dateTime(t, offsetSeconds: timeZoneOffsetSeconds) }
        let severities = Severity.allCases.map { "\($0.rawValue): \(bySeverity[$0] ?? 0)" }.joined(separator: ", ")
        var lines = [
            "## Incidents, \(time(from)) to \(time(to))",
            "- Incidents detected: \(total) (\(severities))",
            "",
            "| Time to | Count | Median | p90 | Within target |",
            "|---|---:|---:|---:|---:|",
        ]
        for (name, measure) in [("Acknowledge", acknowledge), ("Mitigate", mitigate), ("Restore", restore)] {
            let median = measure.median.map(IncidentFormat.duration) ?? "-"
            let p90 = measure.p90.map(IncidentFormat.duration) ?? "-"
            var within = "-"
            if let share = measure.withinTarget, let target = measure.target {
                within = "\(IncidentFormat.percent((share * 100).rounded())) (\(IncidentFormat.duration(target)))"
            }
            lines.append("| \(name) | \(measure.count) | \(median) | \(p90) | \(within) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
