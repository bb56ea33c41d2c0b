/// Every host of the fleet, a row each: state, CPU, memory, the fullest disk, network, firing
/// alerts and a CPU sparkline; sorted, filtered, the selection kept on screen; the selected
/// host's problem on the last line.
public enum FleetView {
    public static let sparkWidth = 24

    static func render(_ state: AppState, into grid: inout Grid, area: Rect) {
        guard let fleet = state.fleet, area.height > 0, area.width > 0 else { return }
        var area = area
        if let latency = fleet.latency, area.height >= 12 {
            let latencyArea: Rect
            let height = ServiceLatencyPane.height(max(1, latency.count), hosts: fleet.rows.count, of: area.height)
            (area, latencyArea) = area.splitBottom(height)
            ServiceLatencyPane.render(latency, problem: fleet.latencyProblem, glyphs: state.glyphs, into: &grid, area: latencyArea)
        }
        let view = state.fleetView
        let g = state.glyphs
        let rows = FleetList.visible(fleet.rows, view)
        let up = fleet.rows.filter(\.isUp).count
        let down = fleet.rows.filter { if case .down = $0.status { return true } else { return false } }.count
        let stale = fleet.rows.filter { if case .stale = $0.status { return true } else { return false } }.count
        var badge = "by \(view.sort.title)\(view.descending ? g.arrowDown : g.arrowUp)"
        if let editing = view.editingFilter { badge = "filter: \(editing)_  " + badge }
        else if !view.filter.isEmpty { badge = "filter: \(view.filter)  " + badge }
        let title = "Fleet \(fleet.rows.count) hosts, \(up) up" + (stale > 0 ? ", \(stale) stale" : "") + (down > 0 ? ", \(down) down" : "")
        let inner = Box(title: title, focused: true, badge: badge).render(into: &grid, area: area, glyphs: g)
        guard inner.height > 0, inner.width > 0 else { return }
        var (tableArea, statusRow) = inner.splitBottom(1)
        if tableArea.height < 2 { (tableArea, statusRow) = (inner, Rect(x: 0, y: 0, width: 0, height: 0)) }
        let selected = FleetList.selection(rows, view)
        let visible = max(0, tableArea.height - 1)
        let top = selected.map { max(0, min($0 - visible / 2, rows.count - visible)) } ?? 0
        let shown = Array(rows.dropFirst(top).prefix(visible))
        let spark = tableArea.width >= 100 ? sparkWidth : 0
        let table = Table(columns: columns(view.sort), rows: shown.map { row($0, glyphs: g) })
        let textArea = Rect(x: tableArea.x, y: tableArea.y, width: tableArea.width - (spark > 0 ? spark + 1 : 0), height: tableArea.height)
        table.render(into: &grid, area: textArea, glyphs: g)
        if spark > 0 {
            let x = textArea.maxX + 1
            grid.text("CPU, last \(Format.interval(fleet.interval * Double(spark)))", x: x, y: tableArea.y,
                      style: Style(.muted, bold: true), limit: tableArea.maxX)
            for (i, r) in shown.enumerated() {
                Sparkline(data: r.cpuHistory, maximum: 1, role: r.isUp ? .graphCPU : .muted)
                    .render(into: &grid, area: Rect(x: x, y: tableArea.y + 1 + i, width: spark, height: 1), glyphs: g)
            }
        }
        if let selected, selected >= top, selected < top + visible {
            let y = tableArea.y + 1 + selected - top
            for x in tableArea.x..<tableArea.maxX {
                var c = grid[x, y]
                c.style.reverse = true
                grid[x, y] = c
            }
        }
        if rows.isEmpty {
            let why = fleet.rows.isEmpty ? "no hosts" : "no host matches \"\(view.filter)\""
            DashboardView.unavailable(why, into: &grid, row: tableArea.row(1))
        }
        if statusRow.width > 0, let selected {
            let r = rows[selected]
            var text = r.name == r.id ? r.name : "\(r.name) (\(r.id))"
            switch r.status {
            case .up: text += ": up" + (r.age.map { ", scraped \(AlertFormat.age($0)) ago" } ?? "")
            case .waiting: text += ": waiting for the first scrape"
            case .stale(let why): text += ": STALE: \(why)" + (r.age.map { "; figures from \(AlertFormat.age($0)) ago" } ?? "")
            case .down(let why): text += ": DOWN: \(why)" + (r.age.map { "; last good \(AlertFormat.age($0)) ago" } ?? "; never answered")
            }
            grid.text(text, x: statusRow.x, y: statusRow.y, style: Style(r.isUp ? .muted : .warn), limit: statusRow.maxX)
        }
    }

    static func columns(_ sort: FleetColumn) -> [Table.Column] {
        func title(_ c: FleetColumn) -> String { c == sort ? c.title + "*" : c.title }
        return [Table.Column(title(.host), width: 16, .left), Table.Column(title(.status), width: 6, .left),
                Table.Column(title(.cpu), width: 6), Table.Column(title(.memory), width: 6),
                Table.Column(title(.disk), width: 16), Table.Column(title(.rx), width: 9),
                Table.Column(title(.tx), width: 9), Table.Column(title(.alerts), width: 6)]
    }

    static func row(_ r: FleetRow, glyphs: GlyphSet) -> Table.Row {
        let stale = !r.isUp
        func role(_ fraction: Double?) -> Role { stale ? .muted : fraction.map { severityRole($0) } ?? .text }
        let status: (String, Role)
        switch r.status {
        case .up: status = ("UP", .ok)
        case .waiting: status = ("...", .muted)
        case .stale: status = ("STALE", .warn)
        case .down: status = ("DOWN", .critical)
        }
        let disk = r.worstDisk.map { "\(Format.clip($0.mount, 9, ellipsis: glyphs.ellipsis)) \(Format.percent($0.used, decimals: 0))" } ?? "-"
        let alerts = r.alerts.map { $0 == 0 ? "0" : "\($0)" } ?? "-"
        return Table.Row([r.name, status.0, r.cpu.map { Format.percent($0) } ?? "-", r.memory.map { Format.percent($0) } ?? "-",
                          disk, r.rx.map(Format.rate) ?? "-", r.tx.map(Format.rate) ?? "-", alerts],
                         roles: [stale ? .muted : .text, status.1, role(r.cpu), role(r.memory), role(r.worstDisk?.used),
                                 stale ? .muted : .text, stale ? .muted : .text, (r.alerts ?? 0) > 0 ? .critical : .muted])
    }
}
