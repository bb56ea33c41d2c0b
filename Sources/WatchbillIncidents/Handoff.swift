/// An alert as the caller's alert engine sees it, for the handoff report (this module knows
/// incidents, not the engine).
public struct HandoffAlert: Sendable, Equatable {
    public var name: String
    /// The alert's severity label, as written in its rule.
    public var severity: String
    /// "firing", "pending", ...
    public var state: String
    public var since: Double
    public var acknowledgedBy: String?

    public init(name: String, severity: String, state: String, since: Double, acknowledgedBy: String? = nil) {
        self.name = name
        self.severity = severity
        self.state = state
        self.since = since
        self.acknowledgedBy = acknowledgedBy
    }
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

        let byAge = alerts.enumerated().sorted { ($0.element.since, $0.offset) < ($1.element.since, $1.offset) }
            .map(\.element)
        let alertLine = { (a: HandoffAlert) in
            "\(a.name) (\(a.severity)): \(a.state) since \(time(a.since)) (\(IncidentFormat.duration(now - a.since)))"
        }
        lines += ["", "## What fired"]
        lines += orNone(byAge.filter { $0.acknowledgedBy == nil }.map { "- " + alertLine($0) })

        lines += ["", "## Acknowledged"]
        var acknowledged = byAge.compactMap { a in a.acknowledgedBy.map { "- Alert \(alertLine(a)), by \($0)" } }
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

    private static func resolves(_ e: IncidentEvent) -> Bool {
        e.kind == .resolved || (e.kind == .statusChanged && e.field == IncidentStatus.resolved.rawValue)
    }

    private static func orNone(_ lines: [String]) -> [String] { lines.isEmpty ? ["- None"] : lines }
}
