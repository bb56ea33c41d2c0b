/// Header, four panes (or one zoomed), footer.
enum DashboardView {
    static func render(_ state: AppState, into grid: inout Grid, top: Int = 1) {
        HeaderView.render(state, into: &grid, y: 0)
        FooterView.render(state, into: &grid, y: grid.height - 1)
        if let timeline = state.replayTimeline {
            TimeBar.render(timeline, glyphs: state.glyphs, into: &grid, y: grid.height - 2)
        }
        if hasBanner(state) { AlertBanner.render(state, into: &grid, y: top) }
        let bodyTop = hasBanner(state) ? top + 1 : top
        let full = Rect(x: 0, y: bodyTop, width: grid.width, height: grid.height - bodyTop - bottomRows(state))
        if let page = state.alertView.runbook {
            RunbookView.render(page, state, into: &grid, area: full)
            return
        }
        if state.alertView.detail {
            AlertDetailView.render(state, into: &grid, area: full)
            return
        }
        if state.alertView.silencesList {
            SilencesView.render(state, into: &grid, area: full)
            return
        }
        if let incident = state.openIncident {
            IncidentView.render(incident, state, into: &grid, area: full)
            return
        }
        if state.incidentView.listShown {
            if state.incidentView.statsShown {
                IncidentStatsView.render(state, into: &grid, area: full)
            } else {
                IncidentListView.render(state, into: &grid, area: full)
            }
            return
        }
        if state.probeView.detail && state.hasProbes {
            ProbeDetailView.render(state, into: &grid, area: full)
            return
        }
        if state.fleetTableShown {
            FleetView.render(state, into: &grid, area: full)
            return
        }
        for (pane, area) in paneAreas(state, width: grid.width, height: grid.height, top: top) {
            renderPane(pane, state, into: &grid, area: area)
        }
    }

    /// The footer, and a replay's time bar over it.
    static func bottomRows(_ state: AppState) -> Int { state.replayTimeline == nil ? 1 : 2 }

    /// Where each pane on screen is drawn: what rendering and the mouse both use.
    static func paneAreas(_ state: AppState, width: Int, height: Int, top: Int) -> [(Pane, Rect)] {
        let top = hasBanner(state) ? top + 1 : top
        var body = Rect(x: 0, y: top, width: width, height: height - top - bottomRows(state))
        if state.zoomed { return [(state.focus, body)] }
        var areas: [(Pane, Rect)] = []
        var rows = Screen.layoutRows(state, width: width, height: height)
        if rows.first == [.alerts] && rows.count > 1 {
            // A line per alert plus borders and header, at most a third of the body.
            rows.removeFirst()
            let want = state.visibleAlerts.count + 3
            let alertsArea: Rect
            (alertsArea, body) = body.splitTop(max(4, min(want, body.height / 3)))
            areas.append((.alerts, alertsArea))
        }
        if rows.last == [.processes] && rows.count > 1 {
            // Processes take a third of the body under two rows of panes, half under one.
            rows.removeLast()
            let processesArea: Rect
            (body, processesArea) = body.splitBottom(rows.count >= 2 ? body.height / 3 : body.height / 2)
            areas.append((.processes, processesArea))
        }
        if let services = rows.last, services.contains(where: Pane.services.contains), rows.count > 1 {
            // The targets' row: a line per target plus borders and header, between a third
            // and a half of what is left.
            rows.removeLast()
            let want = state.shown.probes.count + 3
            let servicesHeight = max(body.height / 3, min(want, body.height / 2))
            let servicesArea: Rect
            (body, servicesArea) = body.splitBottom(servicesHeight)
            areas += zip(services, servicesArea.columns(services.count)).map { ($0, $1) }
        }
        for (row, area) in zip(rows, body.rows(rows.count)) {
            areas += zip(row, area.columns(row.count)).map { ($0, $1) }
        }
        return areas
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
        case .latency: LatencyPane.render(ProbePaneModel(state), focused: focused, into: &grid, area: area)
        case .slo: SLOPane.render(ProbePaneModel(state), focused: focused, into: &grid, area: area)
        case .processes: ProcessesPane.render(ProcessesPaneModel(state), focused: focused, into: &grid, area: area)
        case .alerts: AlertsPane.render(AlertsPaneModel(state), focused: focused, into: &grid, area: area)
        }
    }

    /// The one-line banner over the panes while an unsilenced P0 or P1 fires (a wall
    /// display has its big strip instead).
    static func hasBanner(_ state: AppState) -> Bool {
        !state.wall && !state.alerts.paging.isEmpty && !state.compact
    }

    /// A full-screen alert view (runbook, alert detail, silences) replaces the panes.
    static func alertScreenOpen(_ state: AppState) -> Bool {
        state.alertView.runbook != nil || state.alertView.detail || state.alertView.silencesList || state.incidentScreenOpen
    }

    /// `label` then a meter then `value` right-aligned, on one row.
    static func meterRow(_ label: String, labelWidth: Int, segments: [Meter.Segment], value: String,
                         valueRole: Role, into grid: inout Grid, row: Rect, glyphs: GlyphSet) {
        guard row.height > 0, row.width > 0 else { return }
        grid.text(label, x: row.x, y: row.y, style: Style(.muted), limit: row.x + labelWidth)
        let valueWidth = max(6, displayWidth(value) + 1)
        let meterWidth = row.width - labelWidth - valueWidth
        if meterWidth >= 3 {
            Meter(segments).render(into: &grid, area: Rect(x: row.x + labelWidth, y: row.y, width: meterWidth, height: 1), glyphs: glyphs)
        }
        grid.textRight(value, right: row.maxX, y: row.y, style: Style(valueRole, bold: true),
                       minX: row.x + labelWidth)
    }

    /// A muted placeholder line when a source is missing.
    static func unavailable(_ text: String, into grid: inout Grid, row: Rect) {
        grid.text(text, x: row.x, y: row.y, style: Style(.muted), limit: row.maxX)
    }
}
