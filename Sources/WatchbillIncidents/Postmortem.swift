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

        lines += ["", "### Timeline"]
        let moments: [(IncidentEvent.Kind, String)] = [
            (.detected, "Issue detected"), (.alerted, "Team alerted"), (.acknowledged, "Acknowledged"),
            (.mitigationStarted, "Mitigation started"), (.restored, "Service restored"),
            (.rootCauseIdentified, "Root cause identified"), (.fixDeployed, "Permanent fix deployed"),
            (.resolved, "Resolved"),
        ]
        var shown: Set<Int> = []
        for (kind, label) in moments {
            let index = incident.timeline.firstIndex { $0.kind == kind }
            let event = index.map { incident.timeline[$0] }
            if let index { shown.insert(index) }
            let at = kind == .detected ? incident.detectedAt : event?.at
            let by = kind == .acknowledged ? event.map { " by " + $0.author } ?? "" : ""
            lines.append("- \(at.map(time) ?? toFill): \(label)\(by)")
        }
        lines += ["", "Against targets:"] + targets(incident)
        let others = incident.timeline.indices.filter { !shown.contains($0) }.map { incident.timeline[$0] }
        if !others.isEmpty {
            lines += ["", "Other entries:"]
            lines += others.map { "- \(time($0.at)), \($0.author): \(incident.describe($0))" }
        }

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

    private static func impact(_ incident: Incident, now: Double) -> [String] {
        let users: String
        switch (incident.impact.usersAffected, incident.impact.usersPercent) {
        case let (count?, percent?): users = "\(count) (\(IncidentFormat.percent(percent)))"
        case let (count?, nil): users = "\(count)"
        case let (nil, percent?): users = IncidentFormat.percent(percent)
        case (nil, nil): users = toFill
        }
        let services = incident.impact.services.isEmpty ? toFill : incident.impact.services.joined(separator: ", ")
        // Clamped: times from a damaged store must not trap the export.
        let minutes = Int(min(max(0, incident.duration(now: now)), 3.2e9) / 60)
        let ongoing = incident.restoredAt == nil && incident.resolvedAt == nil ? " (ongoing)" : ""
        return [
            "- Users affected: \(users)",
            "- Services impacted: \(services)",
            "- Duration: \(minutes) minute\(minutes == 1 ? "" : "s")\(ongoing)",
        ]
    }

    private static func targets(_ incident: Incident) -> [String] {
        let response = IncidentFormat.duration(Incident.responseTarget)
        let recovery = IncidentFormat.duration(Incident.recoveryTarget)
        var lines: [String] = []
        if let tta = incident.timeToAcknowledge, let met = incident.meetsResponseTarget {
            let from = incident.alertedAt == nil ? "detection" : "alert"
            lines.append("- Response: \(IncidentFormat.duration(tta)) from \(from) to acknowledgement"
                + " (target \(response)): \(met ? "met" : "missed")")
        } else {
            lines.append("- Response: not acknowledged (target \(response))")
        }
        if let ttr = incident.timeToRestore, let met = incident.meetsRecoveryTarget {
            lines.append("- Recovery: \(IncidentFormat.duration(ttr)) from detection to restore"
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
