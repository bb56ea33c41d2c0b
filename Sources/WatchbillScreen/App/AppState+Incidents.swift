import WatchbillIncidents
import WatchbillRules

extension AppState {
    /// The incident list or an incident is on screen (they cover the panes).
    public var incidentScreenOpen: Bool { incidentView.detail != nil || incidentView.listShown }

    /// The incident open full screen, as the store last had it.
    public var openIncident: Incident? { incidentView.detail.flatMap { incidents.incident($0) } }

    /// Keys of the incident screens: a pending confirmation first, then the list or the
    /// incident. nil for a key they do not take (q, ?, and the global ones still work).
    mutating func handleIncidentKey(_ key: Key) -> [Effect]? {
        if let pending = incidentView.confirm {
            incidentView.confirm = nil
            guard key == .character("y") || key == .character("Y") else {
                notice = "not done"
                return []
            }
            if case .append(let entry) = pending, entry.kind == .acknowledged {
                return [.incident(pending)] + acknowledgeLinkedAlerts(of: entry.incident)
            }
            return [.incident(pending)]
        }
        guard incidentScreenOpen, let action = incidentKeymap.action(for: key) else { return nil }
        notice = nil
        if incidentView.detail != nil { return reduceIncident(action) }
        return reduceIncidentList(action)
    }

    func acknowledgeLinkedAlerts(of id: Int64) -> [Effect] {
        guard let incident = incidents.incident(id) else { return [] }
        return LinkedAlertAcks.acknowledgements(taking: incident, alerts: alerts.items, by: userName, at: alerts.now)
            .map { .recordAlertAction(.acknowledge($0)) }
    }

    mutating func showIncidents() {
        closeAlertScreens()
        incidentView.listShown = true
        incidentView.detail = nil
        incidentView.selected = 0
        if let why = incidents.unavailable { notice = "incidents unavailable: \(why)" }
    }

    private mutating func reduceIncidentList(_ action: Action) -> [Effect]? {
        let list = incidents.listed(showAll: incidentView.showAll)
        switch action {
        case .selectUp, .selectDown, .selectPageUp, .selectPageDown, .selectFirst, .selectLast:
            incidentView.selected = max(0, min(Action.moved(action, from: incidentView.selected, count: list.count),
                                               list.count - 1))
        case .openIncident:
            guard !list.isEmpty else { notice = "no incident selected"; break }
            incidentView.detail = list[min(incidentView.selected, list.count - 1)].id
            incidentView.timelineFromEnd = 0
        case .incidentStats:
            incidentView.statsShown.toggle()
        case .allIncidents:
            incidentView.showAll.toggle()
            incidentView.selected = 0
            notice = incidentView.showAll ? "all incidents" : "open incidents"
        case .newIncident:
            guard writable() else { break }
            alertView.form = AlertForm(kind: .incidentNew(alert: nil, detectedAt: nil, alertedAt: nil), fields: [
                AlertForm.field("title", "", "what is broken, in a few words"),
                AlertForm.severityChoice("P2"),
            ], focused: 0)
        default:
            return nil
        }
        return []
    }

    private mutating func reduceIncident(_ action: Action) -> [Effect]? {
        guard let incident = openIncident else {
            incidentView.detail = nil
            return []
        }
        let id = incident.id
        func ask(_ kind: IncidentEvent.Kind, _ question: String, field: String = "") {
            incidentView.confirm = .append(event(id, kind, field: field))
            incidentView.confirmText = question
        }
        switch action {
        case .selectUp, .selectDown, .selectPageUp, .selectPageDown, .selectFirst, .selectLast:
            // Moved as a position from the top, kept as a distance from the end.
            let last = max(0, incident.timeline.count - 1)
            let position = Action.moved(action, from: last - min(incidentView.timelineFromEnd, last), count: incident.timeline.count)
            incidentView.timelineFromEnd = last - max(0, min(position, last))
            return []
        case .exportPostmortem:
            return [.incident(.export(id))]
        case .runbook:
            // The incident's own runbooks first, then those of its linked alerts.
            let fromAlerts = incident.linkedAlerts.keys.sorted().compactMap { identity in
                alerts.items.first { $0.labels.description == identity }?.runbook
            }.filter { !$0.isEmpty }
            guard let name = (incident.runbooks + fromAlerts).first else {
                notice = "no runbook: link one with e (field runbook), or link an alert that has one"
                return []
            }
            return [.openRunbook(name: name, alert: incident.title)]
        default:
            break
        }
        guard writable() else { return [] }
        switch action {
        case .note:
            alertView.form = .prompt(.incidentNote(id), "note", hint: "what happened, what you did, what you saw")
        case .acknowledge:
            ask(.acknowledged, "acknowledge incident \(id): you are on it?")
        case .mitigationStarted:
            ask(.mitigationStarted, "mark mitigation started on incident \(id)?")
        case .restored:
            ask(.restored, "mark service restored on incident \(id)?")
        case .nextStage:
            let stages = IncidentStage.allCases
            let next = stages[min(stages.count - 1, (stages.firstIndex(of: incident.stage) ?? 0) + 1)]
            guard next != incident.stage else { notice = "already at the last stage"; break }
            ask(.stageChanged, "move incident \(id) to \(next.rawValue)?", field: next.rawValue)
        case .rootCause:
            alertView.form = .prompt(.incidentMoment(id, .rootCauseIdentified), "root cause", text: incident.rootCause ?? "",
                                     hint: "what caused it")
        case .fixDeployed:
            alertView.form = .prompt(.incidentMoment(id, .fixDeployed), "fix", text: incident.permanentFix ?? "",
                                     hint: "what was deployed so it does not happen again")
        case .incidentStatus:
            alertView.form = AlertForm(kind: .incidentStatus(id), fields: [
                .choice("status", IncidentStatus.allCases.map(\.rawValue), chosen: incident.status.rawValue,
                        hint: "arrows or a letter choose, Enter sets"),
            ], focused: 0)
        case .incidentSeverity:
            alertView.form = AlertForm(kind: .incidentSeverity(id), fields: [AlertForm.severityChoice(incident.severity.rawValue)],
                                       focused: 0)
        case .editField:
            alertView.form = AlertForm(kind: .incidentField(id), fields: [
                AlertForm.field("field", "owner", IncidentField.allCases.map(\.rawValue).joined(separator: " ")),
                AlertForm.field("value", "", "the new value (services: comma separated; empty clears)"),
            ], focused: 1)
        case .addActionItem:
            alertView.form = AlertForm(kind: .incidentAction(id), fields: [
                AlertForm.field("owner", userName, "who"),
                AlertForm.field("deadline", "", "by when, e.g. 2026-12-08"),
                AlertForm.field("task", "", "what"),
            ], focused: 2)
        case .tickActionItem:
            let open = incident.actionItems.enumerated().filter { !$0.element.done }
            guard let first = open.first else { notice = "no open action items"; break }
            alertView.form = .prompt(.incidentTick(id), "item", text: "\(first.offset + 1)",
                                     hint: "its number in the list (1 to \(incident.actionItems.count))")
        default:
            return nil
        }
        return []
    }

    /// The alert detail and silences list would cover the incident screens.
    public mutating func closeAlertScreens() {
        alertView.detail = false
        alertView.silencesList = false
    }

    private mutating func writable() -> Bool {
        if readOnly { notice = "\(readOnlyWhy): incidents cannot be changed here" }
        if let why = incidents.unavailable { notice = "incidents unavailable: \(why)" }
        return !readOnly && incidents.unavailable == nil
    }

    func event(_ id: Int64, _ kind: IncidentEvent.Kind, field: String = "", text: String = "") -> IncidentEvent {
        IncidentEvent(incident: id, at: incidents.now, writtenAt: incidents.now, author: userName, kind: kind, field: field,
                      text: text)
    }

    /// `i` on an alert: the open incident it is linked to; else a new one from it (title,
    /// severity, detected and alerted times), or a link to an open one if the user names it.
    mutating func incidentFromAlert() -> [Effect]? {
        guard let a = currentAlert else { notice = "no alert selected"; return [] }
        let identity = a.labels.description
        if let linked = incidents.openIncident(linking: identity) {
            closeAlertScreens()
            incidentView.detail = linked.id
            incidentView.timelineFromEnd = 0
            return []
        }
        guard writable() else { return [] }
        let open = incidents.listed(showAll: false)
        var fields = [
            AlertForm.field("title", a.summary.isEmpty ? a.name : "\(a.name): \(a.summary)", "what is broken"),
            AlertForm.severityChoice(a.severity.rawValue),
        ]
        if !open.isEmpty {
            let choices = open.prefix(3).map { "#\($0.id) \($0.title)" }.joined(separator: ", ")
            fields.append(AlertForm.field("incident", "new", "new, or the number of an open one: \(choices)"))
        }
        alertView.form = AlertForm(kind: .incidentNew(alert: LinkedAlertRequest(identity: identity, summary: a.summary),
                                                      detectedAt: a.earliestEvidence(probes: data.probes),
                                                      alertedAt: a.firedAt),
                                   fields: fields, focused: 0)
        return []
    }

    /// The incident forms' checks; what passes becomes a store request.
    func submitIncident(_ form: AlertForm) -> Result<Effect, FormProblem> {
        func text(_ name: String) -> String { form.field(name).trimmingWhitespace }
        func append(_ id: Int64, _ kind: IncidentEvent.Kind, field: String = "", _ value: String = "")
            -> Result<Effect, FormProblem> {
            .success(.incident(.append(event(id, kind, field: field, text: value))))
        }
        switch form.kind {
        case .incidentNote(let id):
            guard !text("note").isEmpty else { return .failure(FormProblem(field: "note", text: "an empty note says nothing")) }
            return append(id, .note, text("note"))
        case .incidentMoment(let id, let kind):
            let name = form.fields[0].name
            guard !text(name).isEmpty else { return .failure(FormProblem(field: name, text: "say what it is")) }
            return append(id, kind, text(name))
        case .incidentStatus(let id):
            guard let s = IncidentStatus(rawValue: text("status").lowercased()) else {
                return .failure(FormProblem(field: "status", text: "investigating, mitigated or resolved"))
            }
            return s == .resolved ? append(id, .resolved) : append(id, .statusChanged, field: s.rawValue)
        case .incidentSeverity(let id):
            guard let s = Severity(rawValue: text("severity").uppercased()) else {
                return .failure(FormProblem(field: "severity", text: "P0, P1, P2 or P3"))
            }
            return append(id, .severityChanged, field: s.rawValue)
        case .incidentField(let id):
            guard let f = IncidentField(rawValue: text("field")) else {
                return .failure(FormProblem(field: "field", text: "one of " + IncidentField.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            return append(id, .fieldSet, field: f.rawValue, text("value"))
        case .incidentAction(let id):
            guard !text("task").isEmpty else { return .failure(FormProblem(field: "task", text: "the task is required")) }
            let parts = [text("owner"), text("deadline"), text("task")].map { $0.replacingPipes }
            return append(id, .actionAdded, parts.joined(separator: "|"))
        case .incidentTick(let id):
            guard let n = Int(text("item")), let incident = incidents.incident(id), n >= 1,
                  n <= incident.actionItems.count else {
                return .failure(FormProblem(field: "item", text: "the number of an action item in the list"))
            }
            return append(id, .actionDone, field: incident.actionItems[n - 1].key)
        case .incidentNew(let alert, let detectedAt, let alertedAt):
            guard let severity = Severity(rawValue: text("severity").uppercased()) else {
                return .failure(FormProblem(field: "severity", text: "P0, P1, P2 or P3"))
            }
            let target = form.fields.contains { $0.name == "incident" } ? text("incident") : "new"
            if target != "new", let alert {
                guard let id = Int64(target.drop { $0 == "#" }), incidents.incident(id)?.status ?? .resolved != .resolved else {
                    return .failure(FormProblem(field: "incident", text: "new, or the number of an open incident"))
                }
                return append(id, .alertLinked, field: alert.identity, alert.summary)
            }
            guard !text("title").isEmpty else { return .failure(FormProblem(field: "title", text: "a title is required")) }
            return .success(.incident(.open(title: text("title"), severity: severity, detectedAt: detectedAt,
                                            alertedAt: alertedAt, alert: alert)))
        default:
            return .failure(FormProblem(field: "", text: "not an incident form"))
        }
    }
}

extension AlertForm {
    /// The severities with the meanings the team agreed on, shown when choosing one.
    static let severityHint = "arrows or 0-3 choose (meanings below)"

    static func severityChoice(_ chosen: String) -> Field {
        .choice("severity", Severity.allCases.map(\.rawValue), chosen: chosen, hint: severityHint)
    }
}

extension String {
    /// Action items are stored as `owner|deadline|task`: a `|` typed in one part would
    /// move the others.
    var replacingPipes: String { String(map { $0 == "|" ? "/" : $0 }) }
}
