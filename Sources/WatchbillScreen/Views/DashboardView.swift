/// Header, four panes (or one zoomed), footer.
enum DashboardView {
    static func render(_ state: AppState, into grid: inout Grid) {
        HeaderView.render(state, into: &grid, y: 0)
        FooterView.render(state, into: &grid, y: grid.height - 1)
        var body = Rect(x: 0, y: 1, width: grid.width, height: grid.height - 2)
        if state.zoomed {
            renderPane(state.focus, state, into: &grid, area: body)
            return
        }
        if Screen.hasProcessesRow(width: grid.width, height: grid.height) {
            let processesArea: Rect
            (body, processesArea) = body.splitBottom(body.height / 3)
            renderPane(.processes, state, into: &grid, area: processesArea)
        }
        let areas: [Rect]
        if Screen.paneColumns(width: grid.width, height: grid.height) == 4 {
            areas = body.columns(4)
        } else {
            let halves = body.rows(2)
            areas = halves[0].columns(2) + halves[1].columns(2)
        }
        for pane in Pane.allCases where pane != .processes { renderPane(pane, state, into: &grid, area: areas[pane.rawValue]) }
    }

    static func renderPane(_ pane: Pane, _ state: AppState, into grid: inout Grid, area: Rect) {
        let data = state.shown
        let focused = pane == state.focus
        let g = state.glyphs
        switch pane {
        case .cpu: CPUPane.render(data, focused: focused, glyphs: g, into: &grid, area: area)
        case .memory: MemoryPane.render(data, focused: focused, glyphs: g, into: &grid, area: area)
        case .disk: DiskPane.render(data, focused: focused, glyphs: g, into: &grid, area: area)
        case .network: NetworkPane.render(data, focused: focused, glyphs: g, into: &grid, area: area)
        case .processes: ProcessesPane.render(state, focused: focused, into: &grid, area: area)
        }
    }

    /// `label` then a meter then `value` right-aligned, on one row.
    static func meterRow(_ label: String, labelWidth: Int, segments: [Meter.Segment], value: String,
                         valueRole: Role, into grid: inout Grid, row: Rect, glyphs: GlyphSet) {
        guard row.height > 0, row.width > 0 else { return }
        grid.text(label, x: row.x, y: row.y, style: Style(.muted), limit: row.x + labelWidth)
        let valueWidth = max(6, displayWidth(value) + 1)
        let meterWidth = row.width - labelWidth - valueWidth
        if meterWidth >= 3 {
            Meter(segments).render(into: &grid, x: row.x + labelWidth, y: row.y, width: meterWidth, glyphs: glyphs)
        }
        grid.textRight(value, right: row.maxX, y: row.y, style: Style(valueRole, bold: true),
                       minX: row.x + labelWidth)
    }

    /// A muted placeholder line when a source is missing.
    static func unavailable(_ text: String, into grid: inout Grid, row: Rect) {
        grid.text(text, x: row.x, y: row.y, style: Style(.muted), limit: row.maxX)
    }
}
