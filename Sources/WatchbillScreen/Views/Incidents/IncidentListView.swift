import WatchbillIncidents

/// Every open incident (or all, `o`), open first, then by severity, then newest: number,
/// severity, status, stage, title, owner, age since detection, time to acknowledge.
enum IncidentListView {
    static func render(_ state: AppState, into grid: inout Grid, area: Rect) {
        let g = state.glyphs
        let data = state.incidents
        let list = data.listed(showAll: state.incidentView.showAll)
        let open = data.all.filter { $0.status != .resolved }.count
        let inner = Box(title: (state.incidentView.showAll ? "Incidents (all)" : "Incidents") + (state.incidents.asOf.map { " as of \($0)" } ?? ""), focused: true,
                        badge: "\(open) open").render(into: &grid, area: area, glyphs: g)
        guard inner.height > 0, inner.width > 0 else { return }
        if let why = data.unavailable {
            // Wrapped: the path and the cause are what someone needs to fix it.
            for (n, line) in RunbookView.wrap(["incidents unavailable: \(why)"], width: inner.width).prefix(inner.height).enumerated() {
                grid.text(line, x: inner.x, y: inner.y + n, style: Style(.warn), limit: inner.maxX)
            }
            return
        }
        guard !list.isEmpty else {
            let key = state.incidentKeymap.bindings.first { $0.action == .newIncident }?.key.label ?? "N"
            DashboardView.unavailable(state.incidentView.showAll ? "no incidents yet; \(key) opens one, or i on an alert"
                                      : "no open incidents; \(key) opens one, or i on an alert", into: &grid, row: inner.row(0))
            let lines = statsText(IncidentStats.summarize(data.all, from: data.now - 30 * 86_400, to: data.now))
            if inner.height > lines.count + 1 {
                for (n, line) in lines.enumerated() {
                    grid.text(line, x: inner.x, y: inner.maxY - lines.count + n, style: Style(.muted), limit: inner.maxX)
                }
            }
            return
        }
        let columns = [
            Table.Column("#", width: 4), Table.Column("sev", width: 3, .left), Table.Column("status", width: 13, .left),
            Table.Column("stage", width: 13, .left), Table.Column("title", width: 20, .left),
            Table.Column("owner", width: 10, .left), Table.Column("lasted", width: 7), Table.Column("ack", width: 6),
        ]
        // The last line: the month's response figures against the SLA targets.
        let stats = IncidentStats.summarize(data.all, from: data.now - 30 * 86_400, to: data.now)
        let statsLines = statsText(stats)
        if inner.height > 4 {
            for (n, line) in statsLines.enumerated() {
                grid.text(line, x: inner.x, y: inner.maxY - statsLines.count + n, style: Style(.muted), limit: inner.maxX)
            }
        }
        let visible = max(0, inner.height - (inner.height > 4 ? statsLines.count + 2 : 1))
        let selected = min(state.incidentView.selected, list.count - 1)
        let top = probeWindowTop(selected: selected, count: list.count, visible: visible)
        let rows = list.dropFirst(top).prefix(visible).map { i -> Table.Row in
            let end = i.resolvedAt ?? data.now
            return Table.Row(["\(i.id)", i.severity.rawValue, i.status.rawValue, i.stage.rawValue, i.title, i.owner ?? "-",
                              IncidentFormat.duration(end - i.detectedAt),
                              i.timeToAcknowledge.map(IncidentFormat.duration) ?? "-"],
                             roles: [.muted, i.severity.role, IncidentViewStyle.statusRole(i.status),
                                     .text, .text, .muted, .muted, IncidentViewStyle.targetRole(i.meetsResponseTarget)])
        }
        Table(columns: columns, rows: Array(rows), stretch: 4)
            .render(into: &grid, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: visible + 1), glyphs: g)
        highlightRow(inner.y + 1 + selected - top, in: inner, grid: &grid)
    }

    /// The last 30 days against the targets:
    ///
    ///     30d: 4 incidents (P0 0, P1 2, P2 1, P3 1)
    ///     acknowledge median 6m p90 14m, 100% in 15m  mitigate median 20m p90 31m  restore median 40m p90 1h10m, 75% in 1h
    static func statsText(_ s: IncidentStats) -> [String] {
        func measure(_ name: String, _ m: IncidentStats.Measure, _ goal: String?) -> String {
            guard let median = m.median, let p90 = m.p90 else { return "\(name) -" }
            let share = goal.flatMap { g in m.withinTarget.map { ", \(IncidentFormat.percent($0 * 100)) in \(g)" } } ?? ""
            return "\(name) median \(IncidentFormat.duration(median)) p90 \(IncidentFormat.duration(p90))\(share)"
        }
        let counts = Severity.allCases.map { "\($0.rawValue) \(s.bySeverity[$0] ?? 0)" }.joined(separator: ", ")
        return ["30d: \(s.total) incident\(s.total == 1 ? "" : "s") (\(counts))",
                measure("acknowledge", s.acknowledge, "15m") + "  " + measure("mitigate", s.mitigate, nil) + "  "
                    + measure("restore", s.restore, "1h")]
    }
}

enum IncidentViewStyle {
    static func statusRole(_ s: IncidentStatus) -> Role {
        switch s {
        case .investigating: return .critical
        case .mitigated: return .warn
        case .resolved: return .ok
        }
    }

    static func targetRole(_ met: Bool?) -> Role {
        switch met {
        case true?: return .ok
        case false?: return .critical
        case nil: return .muted
        }
    }

    /// `14:05` in the local zone the caller gave.
    static func clock(_ t: Double, offset: Int) -> String {
        let full = IncidentFormat.dateTime(t, offsetSeconds: offset)
        let parts = full.split(separator: " ")
        return parts.count >= 2 ? String(parts[1]) : full
    }
}
