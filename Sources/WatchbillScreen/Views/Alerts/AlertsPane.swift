/// Active alerts grouped by rule, worst first: severity, state, the rule's name once per
/// group, the labels that tell its alerts apart, value, age, and ACK/SIL markers.
enum AlertsPane {
    static func render(_ model: AlertsPaneModel, focused: Bool, into grid: inout Grid, area: Rect) {
        let g = model.glyphs
        let list = model.visible
        let firing = list.filter { $0.phase == .firing }.count
        let muted = model.mutedCount
        var badge = firing > 0 ? "\(firing) firing" : list.isEmpty ? "" : "\(list.count) active"
        if muted > 0 && !model.showSuppressed { badge += (badge.isEmpty ? "" : ", ") + "\(muted) silenced" }
        // Prometheus or Alertmanager not answering: their alerts are missing, and that must show.
        let sourcesDown = model.sourceProblems
        if !sourcesDown.isEmpty { badge += (badge.isEmpty ? "" : ", ") + "\(sourcesDown.count) source\(sourcesDown.count == 1 ? "" : "s") down" }
        let inner = Box(title: model.asOf.map { "Alerts at \($0)" } ?? "Alerts", focused: focused, badge: badge).render(into: &grid, area: area, glyphs: g)
        guard inner.height > 0, inner.width > 0 else { return }
        guard !list.isEmpty else {
            var text = "nothing pending or firing; \(model.ruleCount) rule\(model.ruleCount == 1 ? "" : "s") evaluated"
            if muted > 0 { text += "; \(muted) silenced (m shows them)" }
            DashboardView.unavailable(text, into: &grid, row: inner.row(0))
            if let problem = model.ruleFailures.first.map({ "! rule failing: " + $0 }) ?? sourcesDown.first.map({ "! " + $0 }),
               inner.height > 1 {
                grid.text(problem, x: inner.x, y: inner.y + 1, style: Style(.warn), limit: inner.maxX)
            }
            return
        }
        let columns = [
            Table.Column("sev", width: 3, .left), Table.Column("state", width: 8, .left),
            Table.Column("alert", width: 24, .left), Table.Column("value", width: 9),
            Table.Column("age", width: 6), Table.Column("", width: 11, .left),
        ]
        let visible = max(0, inner.height - 1)
        let selected = min(model.selected, list.count - 1)
        let top = probeWindowTop(selected: selected, count: list.count, visible: visible)
        let telling = AlertFormat.differing(list)
        let rows = list.enumerated().dropFirst(top).prefix(visible).map { i, a -> Table.Row in
            // The rule's name on the first row of its group (or the first row drawn).
            let first = i == top || list[i - 1].name != a.name
            let groupSize = first ? list[i...].prefix { $0.name == a.name }.count : 0
            let name = first ? a.name + (groupSize > 1 ? " (\(groupSize))" : "") : "  " + (g.asciiOnly ? "-" : "└")
            let labels = AlertFormat.telling(a.keyLabels, first: telling)
            return Table.Row(
                [a.severityLabel, AlertFormat.phaseWord(a.phase), name + (labels.isEmpty ? "" : "  " + labels),
                 AlertFormat.value(a.value), AlertFormat.age(of: a, now: model.now), AlertFormat.marks(a)],
                roles: [a.suppressed ? .muted : a.severity.role, AlertFormat.phaseRole(a),
                        a.suppressed ? .muted : .text, .text, .muted, a.suppressed ? .muted : .ok])
        }
        Table(columns: columns, rows: Array(rows), stretch: 2).render(into: &grid, area: inner, glyphs: g)
        if focused { highlightRow(inner.y + 1 + selected - top, in: inner, grid: &grid) }
    }
}

/// One line over the panes while an unsilenced P0 or P1 fires: the worst, and how many more.
enum AlertBanner {
    static func render(_ state: AppState, into grid: inout Grid, y: Int) {
        let paging = state.alerts.paging
        guard let worst = paging.first else { return }
        let style = Style(.critical, bold: true, reverse: true)
        grid.fill(Rect(x: 0, y: y, width: grid.width, height: 1), style: style)
        let more = paging.count > 1 ? "  (+\(paging.count - 1) more)" : ""
        let key = state.keymap.bindings.first { $0.action == .showAlerts }?.key.label ?? "A"
        let summary = worst.summary.isEmpty ? AlertFormat.labels(worst.keyLabels) : worst.summary
        let right = "\(key): alerts "
        let limit = grid.width - displayWidth(right)
        grid.text(" \(worst.severity) FIRING  \(worst.name): \(summary)\(more)", x: 0, y: y, style: style, limit: max(0, limit - 1))
        if limit > 20 { grid.text(right, x: limit, y: y, style: style) }
    }
}
