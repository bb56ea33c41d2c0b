extension Incident {
    /// The incident an event log describes, or nil if it was never opened. Events are
    /// applied in write order (`seq`), so the last value written wins even when it is
    /// back-dated; events of other incidents are ignored.
    public static func fold(id: Int64, events: [IncidentEvent]) -> Incident? {
        let written = events.filter { $0.incident == id }.enumerated()
            .sorted { ($0.element.seq, $0.offset) < ($1.element.seq, $1.offset) }.map(\.element)
        guard let opened = written.first(where: { $0.kind == .opened }) else { return nil }
        var incident = Incident(
            id: id, title: opened.text, severity: Severity(rawValue: opened.field) ?? .p3, status: .investigating,
            stage: .detection, owner: nil, openedAt: opened.at, impact: Impact(), linkedAlerts: [:], runbooks: [],
            rootCause: nil, mitigation: [], permanentFix: nil, prevention: nil, actionItems: [], timeline: [],
            writtenOrder: written)
        for event in written where event.kind != .opened {
            incident.apply(event)
        }
        incident.timeline = written.enumerated().filter { !$0.element.isPlainFieldSet }
            .sorted { ($0.element.at, $0.element.seq, $0.offset) < ($1.element.at, $1.element.seq, $1.offset) }
            .map(\.element)
        return incident
    }

    private mutating func apply(_ event: IncidentEvent) {
        let text = event.text
        switch event.kind {
        case .opened, .detected, .alerted, .note:
            break
        case .acknowledged:
            // Acknowledging is taking it: whoever did is its owner until someone names another.
            if owner == nil { owner = event.author }
            stage = stage.atLeast(.assessment)
        case .mitigationStarted:
            stage = stage.atLeast(.mitigation)
        case .restored:
            status = .mitigated
            stage = stage.atLeast(.mitigation)
        case .rootCauseIdentified:
            if !text.isEmpty { rootCause = text }
            stage = stage.atLeast(.investigation)
        case .fixDeployed:
            if !text.isEmpty { permanentFix = text }
            stage = stage.atLeast(.resolution)
        case .resolved:
            status = .resolved
            stage = stage.atLeast(.resolution)
        case .statusChanged:
            guard let new = IncidentStatus(rawValue: event.field) else { return }
            if new == .resolved {
                stage = stage.atLeast(.resolution)
            } else if status == .resolved, stage.atLeast(.resolution) == stage {
                // Reopened: whatever was fixed was not, so it is being looked into again.
                stage = .investigation
            }
            status = new
        case .severityChanged:
            if let new = Severity(rawValue: event.field) { severity = new }
        case .stageChanged:
            if let new = IncidentStage(rawValue: event.field) { stage = new }
        case .alertLinked:
            if var alert = linkedAlerts[event.field] {
                // Firing again: the same alert, so it keeps when it was first linked.
                alert.summary = text.isEmpty ? alert.summary : text
                alert.resolvedAt = nil
                linkedAlerts[event.field] = alert
            } else {
                linkedAlerts[event.field] = LinkedAlert(summary: text, linkedAt: event.at, resolvedAt: nil)
            }
        case .alertResolved:
            linkedAlerts[event.field]?.resolvedAt = event.at
        case .fieldSet:
            set(event.field, to: text)
        case .actionAdded:
            let parts = text.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
                .map { String($0).trimmed }
            let (owner, deadline, task) = parts.count == 3 ? (parts[0], parts[1], parts[2]) : ("", "", text.trimmed)
            actionItems.append(ActionItem(key: String(event.seq), owner: owner, deadline: deadline, task: task,
                                          done: false, doneAt: nil))
        case .actionDone:
            if let i = actionItems.firstIndex(where: { $0.key == event.field && !$0.done }) {
                actionItems[i].done = true
                actionItems[i].doneAt = event.at
            }
        }
    }

    private mutating func set(_ name: String, to value: String) {
        let trimmed = value.trimmed
        let optional: String? = trimmed.isEmpty ? nil : value
        switch IncidentField(rawValue: name) {
        case .title: if !trimmed.isEmpty { title = trimmed }
        case .owner: owner = trimmed.isEmpty ? nil : trimmed
        case .usersAffected: impact.usersAffected = Int(trimmed)
        case .usersPercent: impact.usersPercent = Double(trimmed)
        case .services: impact.services = value.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        case .rootCause: rootCause = optional
        case .permanentFix: permanentFix = optional
        case .prevention: prevention = optional
        case .mitigation: if !trimmed.isEmpty { mitigation.append(trimmed) }
        case .runbook: if !trimmed.isEmpty, !runbooks.contains(trimmed) { runbooks.append(trimmed) }
        case nil: break
        }
    }
}

extension IncidentEvent {
    var isPlainFieldSet: Bool {
        kind == .fieldSet && (IncidentField(rawValue: field)?.isPlain ?? true)
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
