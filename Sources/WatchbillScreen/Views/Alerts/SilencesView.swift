import WatchbillRules

/// Every silence, active first: state, until when, matchers, who and why, and how many
/// alerts each mutes now. `e` expires the selected one (after a y).
enum SilencesView {
    static func render(_ state: AppState, into grid: inout Grid, area: Rect) {
        let g = state.glyphs
        let now = state.alerts.now
        let list = state.alerts.silences
        let active = list.filter { $0.state(at: now) == .active }.count
        let inner = Box(title: "Silences", focused: true, badge: "\(active) active")
            .render(into: &grid, area: area, glyphs: g)
        guard inner.height > 1, inner.width > 0 else { return }
        guard !list.isEmpty else {
            DashboardView.unavailable("no silences; s on an alert creates one", into: &grid, row: inner.row(0))
            return
        }
        let columns = [
            Table.Column("state", width: 8, .left), Table.Column("ends", width: 11, .left),
            Table.Column("mutes", width: 5), Table.Column("matchers", width: 30, .left),
            Table.Column("by", width: 10, .left), Table.Column("comment", width: 20, .left),
            Table.Column("id", width: 8, .left),
        ]
        let visible = max(0, inner.height - 1 - (state.alertView.confirmExpire == nil ? 0 : 1))
        let selected = min(state.alertView.silenceSelected, list.count - 1)
        let top = probeWindowTop(selected: selected, count: list.count, visible: visible)
        let rows = list.dropFirst(top).prefix(visible).map { s -> Table.Row in
            let st = s.state(at: now)
            let ends = st == .expired ? AlertFormat.age(now - s.endsAt) + " ago" : "in " + AlertFormat.age(s.endsAt - now)
            let mutes = state.alerts.items.filter { $0.phase != .resolved && s.mutes($0.labels, at: now) }.count
            return Table.Row([st.rawValue, ends, "\(mutes)", s.matchersText, s.createdBy, s.comment, s.id],
                             roles: [st == .active ? .ok : .muted, .text, .text, .text, .muted, .text, .muted])
        }
        Table(columns: columns, rows: Array(rows), stretch: 3).render(into: &grid, area: inner, glyphs: g)
        highlightRow(inner.y + 1 + selected - top, in: inner, grid: &grid)
        if let id = state.alertView.confirmExpire {
            grid.text("expire silence \(id) now? y to expire, any other key keeps it", x: inner.x, y: inner.maxY - 1,
                      style: Style(.warn, bold: true, reverse: true), limit: inner.maxX)
        }
    }
}
