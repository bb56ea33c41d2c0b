/// What may be appended to an incident's log. The log is never rewritten, so a wrong entry
/// stays forever: these refuse it before it is written, with a reason to show.
public enum IncidentRules {
    /// How far ahead of the writer's clock an entry may be dated (clocks of two hosts
    /// sharing the store drift a little; an entry from tomorrow is a typo).
    public static let futureTolerance: Double = 60

    /// The reason to refuse `event`, or nil to accept it. `incident` is the incident's
    /// current fold (nil if it does not exist).
    /// Times beyond year 5000 either way are typos or damage, and a report would have to
    /// print them.
    public static let plausibleTimes: ClosedRange<Double> = -1e11...1e11

    public static func check(_ event: IncidentEvent, against incident: Incident?) -> String? {
        guard plausibleTimes.contains(event.at), plausibleTimes.contains(event.writtenAt) else {
            return "the entry's time is not a plausible date"
        }
        if event.at > event.writtenAt + futureTolerance {
            return "cannot date an entry in the future"
        }
        guard let incident else {
            guard event.kind == .opened else { return "incident #\(event.incident) does not exist" }
            if event.text.trimmed.isEmpty { return "an incident needs a title" }
            if Severity(rawValue: event.field) == nil { return "unknown severity \"\(event.field)\" (P0–P3)" }
            return nil
        }
        if event.incident != incident.id { return "entry is for incident #\(event.incident), not #\(incident.id)" }
        if let reason = checkValue(event, incident) { return reason }
        if incident.status == .resolved { return checkResolved(event) }
        return nil
    }

    private static func checkValue(_ event: IncidentEvent, _ incident: Incident) -> String? {
        // A response before the problem would make the targets say "met" for nothing.
        let responses: [IncidentEvent.Kind] = [.acknowledged, .mitigationStarted, .restored, .resolved]
        if responses.contains(event.kind) && event.at < incident.detectedAt {
            return "\(event.kind.rawValue) cannot be before the incident was detected"
        }
        switch event.kind {
        case .opened:
            return "incident #\(incident.id) is already open"
        case .acknowledged:
            if incident.status == .resolved { return "incident #\(incident.id) is resolved; nothing to acknowledge" }
            if let ack = incident.first(.acknowledged) { return "already acknowledged by \(ack.author)" }
        case .note:
            if event.text.trimmed.isEmpty { return "a note needs text" }
        case .statusChanged:
            guard let status = IncidentStatus(rawValue: event.field) else {
                return "unknown status \"\(event.field)\" (investigating, mitigated, resolved)"
            }
            if status == incident.status { return "already \(status.rawValue)" }
        case .severityChanged:
            guard let severity = Severity(rawValue: event.field) else {
                return "unknown severity \"\(event.field)\" (P0–P3)"
            }
            if severity == incident.severity { return "already \(severity.rawValue)" }
        case .stageChanged:
            guard let stage = IncidentStage(rawValue: event.field) else {
                return "unknown stage \"\(event.field)\" (\(IncidentStage.allCases.map(\.rawValue).joined(separator: ", ")))"
            }
            if stage == incident.stage { return "already in \(stage.rawValue)" }
        case .alertLinked:
            if event.field.isEmpty { return "a linked alert needs its identity" }
        case .alertResolved:
            if incident.linkedAlerts[event.field] == nil { return "alert \(event.field) is not linked to this incident" }
        case .fieldSet:
            return checkField(event)
        case .actionAdded:
            let parts = event.text.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count != 3 { return "an action item is written \"owner|deadline|task\"" }
            if String(parts[2]).trimmed.isEmpty { return "an action item needs a task" }
        case .actionDone:
            guard let item = incident.actionItems.first(where: { $0.key == event.field }) else {
                return "no action item \(event.field)"
            }
            if item.done { return "action item \(event.field) is already done" }
        case .detected, .alerted, .mitigationStarted, .restored, .rootCauseIdentified, .fixDeployed, .resolved:
            break
        }
        return nil
    }

    private static func checkField(_ event: IncidentEvent) -> String? {
        guard let field = IncidentField(rawValue: event.field) else {
            return "unknown field \"\(event.field)\" (\(IncidentField.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
        let value = event.text.trimmed
        switch field {
        case .title, .mitigation, .runbook:
            if value.isEmpty { return "\(field.rawValue) cannot be empty" }
        case .usersAffected:
            if !value.isEmpty, (Int(value) ?? -1) < 0 { return "users affected is a count, not \"\(value)\"" }
        case .usersPercent:
            if !value.isEmpty, !(0...100).contains(Double(value) ?? -1) {
                return "users affected in percent is 0–100, not \"\(value)\""
            }
        case .owner, .services, .rootCause, .permanentFix, .prevention:
            break
        }
        return nil
    }

    /// A resolved incident is history: it takes what a postmortem adds (notes, fields,
    /// action items, the move to postmortem) or a reopening, and nothing that would make
    /// it look still in progress.
    private static func checkResolved(_ event: IncidentEvent) -> String? {
        switch event.kind {
        // The root cause and the permanent fix often come after the service is back.
        case .note, .fieldSet, .actionAdded, .actionDone, .rootCauseIdentified, .fixDeployed:
            return nil
        case .statusChanged where event.field == IncidentStatus.investigating.rawValue:
            return nil
        case .stageChanged where event.field == IncidentStage.postmortem.rawValue:
            return nil
        case .statusChanged:
            return "a resolved incident can only be reopened (to investigating)"
        case .stageChanged:
            return "a resolved incident can only move to postmortem"
        default:
            return "incident #\(event.incident) is resolved; reopen it first"
        }
    }
}
