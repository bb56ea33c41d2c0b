import WatchbillIncidents
import WatchbillRules

/// `watchbill alerts`: the alerts a running dashboard last saved, for scripts and cron.
/// The exit status follows Nagios: 0 nothing firing, 1 a P2 or P3 firing, 2 a P0 or P1
/// firing (silenced ones do not count), 3 unknown (no dashboard has saved alerts lately).
public struct AlertReport: Encodable, Sendable {
    public var savedAtUnixSeconds: Double?
    /// The state is older than a running dashboard would leave it.
    public var stale: Bool
    public var alerts: [Entry]
    /// Every silence in force or still to start, whether it mutes anything now or not.
    public var silences: [SilenceEntry]

    /// A silence whole, as Alertmanager's API gives one.
    public struct SilenceEntry: Encodable, Sendable {
        public var id: String
        public var state: String
        public var createdBy: String
        public var comment: String
        public var startsAtUnixSeconds: Double
        public var endsAtUnixSeconds: Double
        /// `alertname="DiskFull", mountpoint=~"/var.*"`
        public var matchers: String

        init(_ s: Silence, at now: Double) {
            id = s.id
            state = s.state(at: now).rawValue
            createdBy = s.createdBy
            comment = s.comment
            startsAtUnixSeconds = s.startsAt
            endsAtUnixSeconds = s.endsAt
            matchers = s.matchersText
        }
    }

    public struct Entry: Encodable, Sendable {
        public var alertname: String
        public var severity: String
        public var state: String
        public var labels: [String: String]
        /// nil for a value JSON cannot carry (±Inf, NaN); `valueText` has it.
        public var value: Double?
        public var valueText: String
        public var activeAtUnixSeconds: Double
        public var firedAtUnixSeconds: Double?
        public var summary: String
        public var runbookUrl: String
        /// The IDs of the silences that mute it (kept for scripts written before `silences`).
        public var silencedBy: [String]
        public var silences: [SilenceEntry]
        public var acknowledgedBy: String?
        /// The acknowledgement's comment.
        public var acknowledgement: String?
        public var acknowledgedAtUnixSeconds: Double?
    }

    public static let staleAfter = 180.0

    public init(items: [AlertItem], savedAt: Double?, now: Double, silences: [Silence] = []) {
        savedAtUnixSeconds = savedAt
        stale = savedAt.map { now - $0 > AlertReport.staleAfter } ?? true
        alerts = items.filter { $0.phase != .resolved }.map { a in
            Entry(alertname: a.name, severity: a.severityLabel, state: a.phase.rawValue,
                  labels: Dictionary(uniqueKeysWithValues: a.labels.pairs.map { ($0.name, $0.value) }),
                  value: a.value.isFinite ? a.value : nil, valueText: AlertFormat.value(a.value), activeAtUnixSeconds: a.activeAt, firedAtUnixSeconds: a.firedAt, summary: a.summary,
                  runbookUrl: a.runbook, silencedBy: a.silencedBy.map(\.id),
                  silences: a.silencedBy.map { SilenceEntry($0, at: now) }, acknowledgedBy: a.acknowledgement?.by,
                  acknowledgement: a.acknowledgement?.comment, acknowledgedAtUnixSeconds: a.acknowledgement?.at)
        }
        self.silences = silences.filter { $0.state(at: now) != .expired }.sorted { ($0.endsAt, $0.id) < ($1.endsAt, $1.id) }
            .map { SilenceEntry($0, at: now) }
    }

    public var exitCode: Int32 {
        if stale { return 3 }
        let firing = alerts.filter { $0.state == "firing" && $0.silencedBy.isEmpty }
        if firing.contains(where: { Severity(label: $0.severity).pages }) { return 2 }
        return firing.isEmpty ? 0 : 1
    }

    /// One line per alert, worst first, then a verdict line a human or a cron mail reads.
    public func text(now: Double) -> String {
        var lines = alerts.map { a -> String in
            let labels = a.labels.filter { $0.key != "alertname" && $0.key != "severity" }.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let since = AlertFormat.age(now - (a.firedAtUnixSeconds ?? a.activeAtUnixSeconds))
            var line = "\(a.severity)  \(Format.padRight(a.state, 8)) \(a.alertname)"
            if !labels.isEmpty { line += " {\(labels)}" }
            line += "  value \(a.valueText)  for \(since)"
            if !a.summary.isEmpty { line += "  \(a.summary)" }
            for s in a.silences {
                line += "  [silenced by \(s.createdBy), \(AlertFormat.age(s.endsAtUnixSeconds - now)) left"
                    + (s.comment.isEmpty ? "" : ": \(s.comment)") + "]"
            }
            if let by = a.acknowledgedBy { line += "  [acked by \(by): \(a.acknowledgement ?? "")]" }
            return line
        }
        let verdict: String
        switch exitCode {
        case 3:
            verdict = savedAtUnixSeconds.map { "UNKNOWN: alerts last saved \(AlertFormat.age(now - $0)) ago; is watchbill running?" }
                ?? "UNKNOWN: no saved alerts; is watchbill running?"
        case 2: verdict = "CRITICAL: a P0 or P1 alert is firing"
        case 1: verdict = "WARNING: P2 or P3 alerts firing"
        default: verdict = alerts.isEmpty ? "OK: nothing pending or firing" : "OK: nothing paging"
        }
        lines.append(verdict)
        return lines.joined(separator: "\n") + "\n"
    }
}
