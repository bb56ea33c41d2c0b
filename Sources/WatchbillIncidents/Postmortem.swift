/// The incident as the seed's Incident Response Template, heading by heading. A part not
/// known yet is marked `_(to fill in)_` rather than left out, so the gaps are what a
/// postmortem meeting reads first.
public enum Postmortem {
    public static let toFill = "_(to fill in)_"

    public static func markdown(_ incident: Incident, now: Double, timeZoneOffsetSeconds: Int = 0) -> String {
        let time = { (t: Double) in IncidentFormat.dateTime(t, offsetSeconds: timeZoneOffsetSeconds) }
        var lines: [String] = []
        lines.append("## Incident: \(incident.title)")
        lines.append("**Date:** \(time(incident.detectedAt))")
        lines.append("**Severity:** \(incident.severity.rawValue)")
        lines.append("**Status:** \(capitalized(incident.status.rawValue))")
        lines.append("**Owner:** \(incident.owner ?? toFill)")

        lines += ["", "### Impact"] + impact(incident, now: now)

        lines += ["", "### Timeline"] + timeline(incident, time: time)
        lines += ["", "Against targets:"] + targets(incident)

        lines += ["", "### Root Cause", nonEmpty(incident.rootCause) ?? toFill]

        lines += ["", "### Mitigation Actions"]
        lines += (incident.mitigation.isEmpty ? ["- " + toFill] : incident.mitigation.map { "- " + $0 })
        lines += incident.runbooks.map { "- Runbook: " + $0 }

        lines += ["", "### Permanent Fix", nonEmpty(incident.permanentFix) ?? toFill]

        lines += ["", "### Prevention"]
        let prevention = (incident.prevention ?? "").split(separator: "\n").map(bulletText).filter { !$0.isEmpty }
        lines += (prevention.isEmpty ? ["- " + toFill] : prevention.map { "- " + $0 })

        lines += ["", "### Action Items"]
        lines += (incident.actionItems.isEmpty ? ["- [ ] " + toFill] : incident.actionItems.map { item in
            let deadline = item.deadline.isEmpty ? toFill : item.deadline
            let done = item.doneAt.map { ", done " + time($0) } ?? ""
            return "- [\(item.done ? "x" : " ")] \(item.owner.isEmpty ? toFill : item.owner): \(item.task)"
                + " (deadline: \(deadline)\(done))"
        })
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every entry in time order, the template's moments by their template names, then the
    /// moments not recorded yet. A note typed mid-incident sits where it happened: the
    /// reader follows one story, not a list of moments and a list of everything else.
    private static func timeline(_ incident: Incident, time: (Double) -> String) -> [String] {
        let moments: [(IncidentEvent.Kind, String)] = [
            (.detected, "Issue detected"), (.alerted, "Team alerted"), (.acknowledged, "Acknowledged"),
            (.mitigationStarted, "Mitigation started"), (.restored, "Service restored"),
            (.rootCauseIdentified, "Root cause identified"), (.fixDeployed, "Permanent fix deployed"),
            (.resolved, "Resolved"),
        ]
        // The moment a kind stands for is its earliest entry (the timeline is in time order).
        var momentEntries: [Int: String] = [:]
        // A reopened incident was resolved when it was closed the last time.
        for (kind, label) in moments {
            let index = kind == .resolved ? incident.timeline.lastIndex { $0.kind == kind }
                : incident.timeline.firstIndex { $0.kind == kind }
            if let index { momentEntries[index] = label }
        }
        var lines: [String] = []
        // Opened by hand with no detected entry: detected when it was opened.
        let detectedEntry = incident.first(.detected) != nil
        if !detectedEntry { lines.append("- \(time(incident.detectedAt)): Issue detected") }
        for (index, entry) in incident.timeline.enumerated() {
            if let label = momentEntries[index] {
                // The root cause and the fix have sections of their own; here, who and when.
                let by = entry.kind == .detected || entry.kind == .alerted ? "" : " by " + entry.author
                lines.append("- \(time(entry.at)): \(label)\(by)")
            } else {
                lines.append("- \(time(entry.at)), \(entry.author): \(incident.describe(entry))")
            }
        }
        let recorded = Set(momentEntries.values).union(detectedEntry ? [] : ["Issue detected"])
        lines += moments.filter { !recorded.contains($0.1) }.map { "- \(toFill): \($0.1)" }
        return lines
    }

    private static func impact(_ incident: Incident, now: Double) -> [String] {
        let users: String
        switch (incident.impact.usersAffected, incident.impact.usersPercent) {
        case let (count?, percent?): users = "\(count) (\(IncidentFormat.percent(percent)))"
        case let (count?, nil): users = "\(count)"
        case let (nil, percent?): users = IncidentFormat.percent(percent)
        case (nil, nil): users = toFill
        }
        let services = incident.impact.services.isEmpty ? toFill : incident.impact.services.joined(separator: ", ")
        let lasted = IncidentFormat.exactDuration(max(0, incident.duration(now: now)))
        let until = incident.restoredAt != nil ? "restored" : incident.resolvedAt != nil ? "resolved" : "now"
        let ongoing = incident.restoredAt == nil && incident.resolvedAt == nil ? " (ongoing)" : ""
        return [
            "- Users affected: \(users)",
            "- Services impacted: \(services)",
            "- Duration: \(lasted), from detection to \(until)\(ongoing)",
        ]
    }

    private static func targets(_ incident: Incident) -> [String] {
        let response = IncidentFormat.duration(Incident.responseTarget)
        let recovery = IncidentFormat.duration(Incident.recoveryTarget)
        var lines: [String] = []
        if let tta = incident.timeToAcknowledge, let met = incident.meetsResponseTarget {
            let from = incident.alertedAt == nil ? "detection" : "alert"
            lines.append("- Response: \(IncidentFormat.exactDuration(tta)) from \(from) to acknowledgement"
                + " (target \(response)): \(met ? "met" : "missed")")
        } else {
            lines.append("- Response: not acknowledged (target \(response))")
        }
        if let ttr = incident.timeToRestore, let met = incident.meetsRecoveryTarget {
            lines.append("- Recovery: \(IncidentFormat.exactDuration(ttr)) from detection to restore"
                + " (target \(recovery)): \(met ? "met" : "missed")")
        } else {
            lines.append("- Recovery: no restore recorded (target \(recovery))")
        }
        return lines
    }

    private static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmed, !t.isEmpty else { return nil }
        return t
    }

    /// Prevention is written one change a line, with or without its own bullet.
    private static func bulletText(_ line: Substring) -> String {
        var t = String(line).trimmed
        if t.hasPrefix("- ") || t.hasPrefix("* ") { t = String(t.dropFirst(2)).trimmed }
        return t
    }
}
