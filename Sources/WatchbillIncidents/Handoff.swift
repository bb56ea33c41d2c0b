/// An alert over the shift, as the caller's alert history tells it (this module knows
/// incidents, not the engine): each firing, who silenced or acknowledged it, or that it is
/// pending now and has not fired.
public struct HandoffAlert: Sendable, Equatable {
    /// Who did something about an alert, when, until when (a silence) and why.
    public struct Action: Sendable, Equatable {
        public var by: String
        public var at: Double
        public var until: Double?
        public var comment: String

        public init(by: String, at: Double, until: Double? = nil, comment: String) {
            self.by = by
            self.at = at
            self.until = until
            self.comment = comment
        }
    }

    public struct Firing: Sendable, Equatable {
        public var firedAt: Double
        /// nil while it fires.
        public var endedAt: Double?

        public init(firedAt: Double, endedAt: Double?) {
            self.firedAt = firedAt
            self.endedAt = endedAt
        }
    }

    public var name: String
    /// The alert's severity label, as written in its rule.
    public var severity: String
    /// The labels that tell it from others of its rule, `probe="api"`.
    public var labels: String
    /// Each firing in the shift, oldest first.
    public var firings: [Firing]
    /// Pending now and not fired in the shift.
    public var pendingSince: Double?
    public var silences: [Action]
    public var acknowledgements: [Action]

    public init(name: String, severity: String, labels: String = "", firings: [Firing] = [],
                pendingSince: Double? = nil, silences: [Action] = [], acknowledgements: [Action] = []) {
        self.name = name
        self.severity = severity
        self.labels = labels
        self.firings = firings
        self.pendingSince = pendingSince
        self.silences = silences
        self.acknowledgements = acknowledgements
    }

    var firstEvent: Double { firings.first?.firedAt ?? pendingSince ?? .infinity }
}

/// The report one on-call hands the next: what is still open, what fired, who has what,
/// and what was written during the shift. "During the shift" goes by when entries were
/// written, so a back-dated note added this shift is still news to the next one.
public enum Handoff {
    public static func markdown(incidents: [Incident], since: Double, now: Double, alerts: [HandoffAlert],
                                timeZoneOffsetSeconds: Int = 0) -> String {
        let time = { (t: Double) in IncidentFormat.dateTime(t, offsetSeconds: timeZoneOffsetSeconds) }
        let inShift = { (e: IncidentEvent) in e.writtenAt >= since && e.writtenAt <= now }
        let ordered = incidents.sorted { ($0.severity, $0.detectedAt, $0.id) < ($1.severity, $1.detectedAt, $1.id) }
        let name = { (i: Incident) in "#\(i.id) \(i.severity.rawValue) \(i.title)" }
        var lines = [
            "# Shift handoff",
            "Shift: \(time(since)) to \(time(now)) (\(IncidentFormat.duration(now - since)))",
        ]

        lines += ["", "## Open incidents"]
        var open: [String] = []
        for incident in ordered where incident.status != .resolved {
            open.append("- \(name(incident)): \(incident.status.rawValue), stage \(incident.stage.rawValue), "
                + "owner \(incident.owner ?? "none"), open \(IncidentFormat.duration(now - incident.detectedAt))")
            if let note = incident.timeline.last(where: { $0.kind == .note }) {
                open.append("  - Last note (\(time(note.at)), \(note.author)): \(note.text.trimmed)")
            } else {
                open.append("  - No notes")
            }
        }
        lines += orNone(open)

        let byAge = alerts.enumerated().sorted { ($0.element.firstEvent, $0.offset) < ($1.element.firstEvent, $1.offset) }
            .map(\.element)
        lines += ["", "## What fired"]
        lines += orNone(byAge.flatMap { alertLines($0, since: since, now: now, time: time) })

        lines += ["", "## Acknowledged"]
        var acknowledged = byAge.flatMap { a in
            a.acknowledgements.map { "- Alert \(title(a)): by \($0.by) at \(time($0.at))\(quoted($0.comment))" }
        }
        for incident in ordered {
            if let ack = incident.first(.acknowledged), inShift(ack) {
                acknowledged.append("- Incident \(name(incident)): by \(ack.author) at \(time(ack.at))")
            }
        }
        lines += orNone(acknowledged)

        lines += ["", "## Notes since the shift began"]
        var notes: [String] = []
        for incident in ordered {
            let written = incident.timeline.filter { $0.kind == .note && inShift($0) }
            guard !written.isEmpty else { continue }
            notes += ["", "### \(name(incident))"]
            notes += written.map { "- \(time($0.at)), \($0.author): \($0.text.trimmed)" }
        }
        lines += notes.isEmpty ? ["- None"] : notes

        lines += ["", "## Resolved during the shift"]
        var resolved: [String] = []
        for incident in ordered where incident.status == .resolved {
            // The resolution that counts is the last one: an incident reopened and resolved
            // again was resolved when it was closed the second time.
            guard let last = incident.writtenOrder.last(where: resolves), inShift(last) else { continue }
            resolved.append("- \(name(incident)): resolved \(time(last.at)) by \(last.author), "
                + "after \(IncidentFormat.duration(last.at - incident.detectedAt))")
        }
        lines += orNone(resolved)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func title(_ a: HandoffAlert) -> String {
        "\(a.name) (\(a.severity))" + (a.labels.isEmpty ? "" : " {\(a.labels)}")
    }

    private static func quoted(_ comment: String) -> String {
        let t = comment.trimmed
        return t.isEmpty ? "" : ": \"\(t)\""
    }

    /// One alert: how often it fired, first and last, how long in the shift, how it ended;
    /// then each silence and acknowledgement under it.
    private static func alertLines(_ a: HandoffAlert, since: Double, now: Double, time: (Double) -> String) -> [String] {
        var head = "- \(title(a)): "
        if let first = a.firings.first, let last = a.firings.last {
            let firing = a.firings.reduce(0.0) { $0 + max(0, min($1.endedAt ?? now, now) - max($1.firedAt, since)) }
            let times = a.firings.count == 1 ? "once, at \(time(first.firedAt))"
                : "\(a.firings.count) times, first at \(time(first.firedAt)), last at \(time(last.firedAt))"
            let end = last.endedAt.map { "resolved at \(time($0))" } ?? "still firing"
            head += "fired \(times); firing \(IncidentFormat.exactDuration(firing)) in the shift; \(end)"
        } else if let pending = a.pendingSince {
            head += "pending since \(time(pending)) (\(IncidentFormat.duration(now - pending))), has not fired"
        }
        var lines = [head]
        lines += a.silences.map { s in
            "  - Silenced by \(s.by) from \(time(s.at))" + (s.until.map { " to \(time($0))" } ?? "") + quoted(s.comment)
        }
        lines += a.acknowledgements.map { "  - Acknowledged by \($0.by) at \(time($0.at))\(quoted($0.comment))" }
        return lines
    }

    private static func resolves(_ e: IncidentEvent) -> Bool {
        e.kind == .resolved || (e.kind == .statusChanged && e.field == IncidentStatus.resolved.rawValue)
    }

    private static func orNone(_ lines: [String]) -> [String] { lines.isEmpty ? ["- None"] : lines }
}
