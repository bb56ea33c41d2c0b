extension Incident {
    /// One line for a timeline entry, as reports show it. Action items are named by task
    /// rather than by their key, which only the log needs.
    public func describe(_ event: IncidentEvent) -> String {
        let text = event.text.trimmed
        let detail = text.isEmpty ? "" : ": " + text
        switch event.kind {
        case .opened: return "Opened as \(event.field)" + detail
        case .detected: return "Issue detected" + detail
        case .alerted: return "Team alerted" + detail
        case .acknowledged: return "Acknowledged" + detail
        case .mitigationStarted: return "Mitigation started" + detail
        case .restored: return "Service restored" + detail
        case .rootCauseIdentified: return "Root cause identified" + detail
        case .fixDeployed: return "Permanent fix deployed" + detail
        case .resolved: return "Resolved" + detail
        case .note: return "Note" + detail
        case .statusChanged: return "Status set to \(event.field)"
        case .severityChanged: return "Severity set to \(event.field)"
        case .stageChanged: return "Stage set to \(event.field)"
        // The summary reads better than the label set; the label set is what identifies it.
        case .alertLinked: return "Alert linked: " + (text.isEmpty ? event.field : "\(text) \(event.field)")
        case .alertResolved: return "Alert resolved: \(event.field)"
        case .fieldSet:
            return event.field == IncidentField.mitigation.rawValue
                ? "Mitigation action" + detail : "\(event.field) set" + detail
        case .actionAdded:
            let item = actionItems.first { $0.key == String(event.seq) }
            return "Action item added" + (item.map { ": " + ($0.owner.isEmpty ? "" : $0.owner + ": ") + $0.task } ?? detail)
        case .actionDone:
            let item = actionItems.first { $0.key == event.field }
            return "Action item done: " + (item?.task ?? event.field)
        }
    }
}
