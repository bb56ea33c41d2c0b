import WatchbillCore

/// Service latency from Prometheus under the fleet table: a row per histogram (or per value
/// of its `by` labels) with p50, p95 and p99 over its window, requests a second, the p95
/// against its threshold (the SLA's 500 ms unless the config says otherwise), and the p95 over
/// the last half hour.
enum ServiceLatencyPane {
    static let sparkWidth = 24

    /// Its rows, borders and header when they fit beside the fleet table's `hosts`; else
    /// what leaves the table half the height (or six rows), and never less than one row.
    static func height(_ rows: Int, hosts: Int, of height: Int) -> Int {
        let want = rows + 3, table = hosts + 4
        if want + table <= height { return want }
        return min(want, max(4, height - max(6, min(table, height / 2))))
    }

    static func render(_ rows: [ServiceLatency], problem: String?, glyphs g: GlyphSet, into grid: inout Grid, area: Rect) {
        let slow = rows.filter { $0.state == .slow }.count
        let hidden = max(0, rows.count - max(0, area.height - 3))
        var badge = problem.map { "prometheus: \($0)" } ?? (slow > 0 ? "\(slow) slow" : "")
        if hidden > 0 { badge += (badge.isEmpty ? "" : ", ") + "\(hidden) more" }
        let inner = Box(title: "Latency from Prometheus", focused: false, badge: badge).render(into: &grid, area: area, glyphs: g)
        guard inner.height > 0, inner.width > 0 else { return }
        if rows.isEmpty {
            DashboardView.unavailable(problem ?? "waiting for Prometheus", into: &grid, row: inner.row(0))
            return
        }
        // The verdict right after the p95, so a narrow pane keeps both.
        let columns = [
            Table.Column("service", width: 14, .left), Table.Column("p95", width: 7), Table.Column("target", width: 7),
            Table.Column("", width: 7, .left), Table.Column("p50", width: 7), Table.Column("p99", width: 7),
            Table.Column("req/s", width: 6),
        ]
        let natural = Table(columns: columns, rows: []).naturalWidth
        let spark = inner.width - natural - 1 >= sparkWidth ? sparkWidth : 0
        let tableArea = Rect(x: inner.x, y: inner.y, width: inner.width - (spark > 0 ? spark + 1 : 0), height: inner.height)
        var shown = Array(rows.prefix(max(0, inner.height - 1)))
        // Rows of one histogram differ at the end (its `by` labels): cut names in the middle.
        let nameWidth = Table(columns: columns, rows: []).fitted(to: tableArea.width).first?.width ?? 0
        for i in shown.indices { shown[i].name = Format.clipMiddle(shown[i].name, nameWidth, ellipsis: g.ellipsis) }
        Table(columns: columns, rows: shown.map(row)).render(into: &grid, area: tableArea, glyphs: g)
        guard spark > 0 else { return }
        let x = tableArea.maxX + 1
        grid.text("p95, last 30m", x: x, y: inner.y, style: Style(.muted, bold: true), limit: inner.maxX)
        for (i, r) in shown.enumerated() {
            let values = r.p95History.map { $0 ?? .nan }
            let top = Graph.niceCeiling(max(r.threshold, values.filter(\.isFinite).max() ?? 0), minimum: 0.01)
            Sparkline(data: GraphData(values: values, endIndex: values.count), maximum: top, role: .latencyP95)
                .render(into: &grid, area: Rect(x: x, y: inner.y + 1 + i, width: spark, height: 1), glyphs: g)
        }
    }

    /// Requests a second; a quiet service's `0.02` is not rounded to nothing.
    static func requests(_ perSecond: Double?) -> String {
        guard let v = perSecond else { return "-" }
        return v > 0 && v < 0.095 ? Format.fixed(v, 2) : Format.perSecond(v)
    }

    static func row(_ r: ServiceLatency) -> Table.Row {
        let slo = SLOTargets(latencyThreshold: r.threshold)
        let state = r.state
        let stateRole: Role = switch state {
        case .ok: .ok
        case .slow: .critical
        case .idle, .noData: .muted
        }
        return Table.Row(
            [r.name, ProbeFormat.latency(r.p95), "<" + ProbeFormat.latency(r.threshold), state.rawValue,
             ProbeFormat.latency(r.p50), ProbeFormat.latency(r.p99), requests(r.requestsPerSecond)],
            roles: [.text, ProbeFormat.latencyRole(r.p95, slo), .muted, stateRole, ProbeFormat.latencyRole(r.p50, slo),
                    ProbeFormat.latencyRole(r.p99, slo), .text])
    }
}
