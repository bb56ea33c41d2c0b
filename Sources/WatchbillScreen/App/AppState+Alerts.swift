import WatchbillRules

extension AppState {
    /// Whether the Alerts pane has focus and is on screen, so its keys apply.
    var alertsPaneActive: Bool { focus == .alerts && (zoomed || alertsRowShown) }

    /// The alerts the pane lists now.
    public var visibleAlerts: [AlertItem] { alerts.visible(showSuppressed: alertView.showSuppressed) }

    /// The alert the keys act on: the one whose detail is open, else the selected row.
    public var currentAlert: AlertItem? {
        if alertView.detail, let labels = alertView.detailLabels {
            return alerts.items.first { $0.labels == labels }
        }
        let list = visibleAlerts
        return list.isEmpty ? nil : list[min(alertView.selected, list.count - 1)]
    }

    /// Keys of the alert views, most specific first: the open form, a pending expiry, the
    /// runbook pager, the silences list, the detail, then the focused Alerts pane. Returns
    /// nil for a key none of them takes, so the global bindings (q, ?) still work.
    mutating func handleAlertKey(_ key: Key) -> [Effect]? {
        if alertView.form != nil { return editForm(key) }
        if let id = alertView.confirmExpire {
            alertView.confirmExpire = nil
            guard key == .character("y") || key == .character("Y") else {
                notice = "silence not expired"
                return []
            }
            return [.recordAlertAction(.expire(id: id, at: alerts.now))]
        }
        if alertView.runbook != nil { return pageRunbook(key) }
        guard alertView.silencesList || alertView.detail || (alertsPaneActive && !incidentScreenOpen),
              let action = alertKeymap.action(for: key) else { return nil }
        if alertView.silencesList { return reduceSilencesAction(action) }
        return reduceAlertAction(action)
    }

    private mutating func reduceAlertAction(_ action: Action) -> [Effect]? {
        notice = nil
        let count = visibleAlerts.count
        func select(_ i: Int) { alertView.selected = max(0, min(i, count - 1)) }
        switch action {
        case .selectUp, .selectDown, .selectPageUp, .selectPageDown, .selectFirst, .selectLast:
            select(Action.moved(action, from: alertView.selected, count: count))
        case .alertDetails:
            guard let a = currentAlert else { notice = "no alert selected"; break }
            alertView.detail = true
            alertView.detailLabels = a.labels
        case .toggleSuppressed:
            alertView.showSuppressed.toggle()
            let muted = alerts.items.filter(\.suppressed).count
            notice = alertView.showSuppressed ? "showing \(muted) silenced alert\(muted == 1 ? "" : "s")" : "silenced alerts hidden"
            select(alertView.selected)
        case .acknowledge, .silence:
            guard !readOnly else { notice = "\(readOnlyWhy): no acknowledging or silencing here"; break }
            guard let a = currentAlert else { notice = "no alert selected"; break }
            if action == .acknowledge && a.phase == .resolved {
                notice = "\(a.name) has resolved: nothing to acknowledge"
                break
            }
            alertView.form = action == .acknowledge ? .acknowledge(a) : .silence(a)
        case .silences:
            alertView.silencesList = true
            alertView.silenceSelected = 0
        case .runbook:
            guard let a = currentAlert else { notice = "no alert selected"; break }
            guard !a.runbook.isEmpty else { notice = "\(a.name) has no runbook_url"; break }
            return [.openRunbook(name: a.runbook, alert: a.name)]
        case .incidentFromAlert:
            return incidentFromAlert()
        default:
            return nil
        }
        return []
    }

    private mutating func reduceSilencesAction(_ action: Action) -> [Effect]? {
        let list = alerts.silences
        func select(_ i: Int) { alertView.silenceSelected = max(0, min(i, list.count - 1)) }
        switch action {
        case .selectUp, .selectDown, .selectPageUp, .selectPageDown, .selectFirst, .selectLast:
            select(Action.moved(action, from: alertView.silenceSelected, count: list.count))
        case .silences: alertView.silencesList = false
        case .expireSilence:
            guard !readOnly else { notice = "\(readOnlyWhy): no expiring silences here"; break }
            guard !list.isEmpty else { notice = "no silences"; break }
            let s = list[min(alertView.silenceSelected, list.count - 1)]
            guard s.state(at: alerts.now) != .expired else { notice = "that silence has already expired"; break }
            alertView.confirmExpire = s.id
        default:
            return nil
        }
        return []
    }

    /// The pager: arrows and pages scroll; Esc or q closes it (q does not quit here).
    private mutating func pageRunbook(_ key: Key) -> [Effect] {
        guard var page = alertView.runbook else { return [] }
        let step: Int
        switch key {
        case .up, .character("k"): step = -1
        case .down, .character("j"), .enter: step = 1
        case .pageUp, .character("b"): step = -(max(1, screenSize.height - 4))
        case .pageDown, .character(" "): step = max(1, screenSize.height - 4)
        case .home, .character("g"): step = -Int(Int32.max)
        case .end, .character("G"): step = Int(Int32.max)
        case .escape, .character("q"), .character("r"):
            alertView.runbook = nil
            return []
        default: return []
        }
        // The pager shows wrapped lines: scroll over those, or a long paragraph hides the end.
        let shown = RunbookView.wrap(page.lines, width: max(1, screenSize.width - 3)).count
        page.scroll = max(0, min(page.scroll + step, max(0, shown - 1)))
        alertView.runbook = page
        return []
    }

    /// Typing into the form; Enter checks it and hands it over to be saved.
    private mutating func editForm(_ key: Key) -> [Effect] {
        guard var form = alertView.form else { return [] }
        form.error = nil
        switch key {
        case .escape:
            alertView.form = nil
            notice = "\(form.title.lowercased()) cancelled: nothing saved"
            return []
        case .tab, .down: form.focused = (form.focused + 1) % form.fields.count
        case .backTab, .up: form.focused = (form.focused + form.fields.count - 1) % form.fields.count
        case .enter:
            switch submit(form) {
            case .success(.incident(let request)) where form.asksFirst:
                // Resolving, reopening, a new severity, a ticked item: one more `y`, since
                // the log keeps them for ever.
                alertView.form = nil
                incidentView.confirm = request
                incidentView.confirmText = form.question(request)
                return []
            case .success(let effect):
                alertView.form = nil
                alertView.submitted = form
                return [effect]
            case .failure(let problem):
                form.error = problem.text
                if let field = form.fields.firstIndex(where: { $0.name == problem.field }) { form.focused = field }
            }
        default:
            _ = form.fields[form.focused].edit(key)
        }
        alertView.form = form
        return []
    }

    struct FormProblem: Error {
        var field: String
        var text: String
    }

    private func submit(_ form: AlertForm) -> Result<Effect, FormProblem> {
        let comment = form.field("comment").trimmingWhitespace
        switch form.kind {
        case .acknowledge(let labels):
            guard !comment.isEmpty else { return .failure(FormProblem(field: "comment", text: "a comment is required")) }
            return .success(.recordAlertAction(.acknowledge(Acknowledgement(labels: labels, by: userName, comment: comment,
                                                                            at: alerts.now))))
        case .silence:
            let matchers: [LabelMatcher]
            switch form.matchers {
            case .success(let m): matchers = m
            case .failure(let e):
                return .failure(FormProblem(field: "matchers", text: "matchers, column \(e.at.column): \(e.cause)"))
            }
            guard let seconds = AlertForm.duration(form.field("duration")) else {
                return .failure(FormProblem(field: "duration", text: "duration: write it as 30m, 1h, 1d"))
            }
            guard seconds <= AlertForm.longestSilence else {
                return .failure(FormProblem(field: "duration", text: "duration: at most 365d"))
            }
            guard !comment.isEmpty else { return .failure(FormProblem(field: "comment", text: "a comment is required")) }
            return .success(.recordAlertAction(.silence(Silence(id: "", matchers: matchers, startsAt: alerts.now,
                                                                endsAt: alerts.now + seconds, createdBy: userName,
                                                                comment: comment))))
        default:
            return submitIncident(form)
        }
    }

    /// The caller saved the submitted form (or not): say so, and on failure give the form
    /// back with the reason, so what was typed is not lost.
    public mutating func alertActionSaved(_ message: String) {
        alertView.submitted = nil
        notice = message
    }

    public mutating func alertActionFailed(_ reason: String) {
        if var form = alertView.submitted {
            form.error = "NOT saved: \(reason)"
            alertView.form = form
        }
        alertView.submitted = nil
        notice = "NOT saved: \(reason)"
    }
}
