import WatchbillCore
import WatchbillDomain

/// One row per probed target: up or down, last latency, percentiles over the chosen window,
/// error rate, uptime, and a p95 sparkline over five minutes.
enum LatencyPane {
    static func render(_ model: ProbePaneModel, focused: Bool, into grid: inout Grid, area: Rect) {
        let probes = model.probes
        let view = model.view
        let g = model.glyphs
        let down = probes.filter { $0.isUp == false }.count
        let badge = view.window.rawValue + (down > 0 ? " \(down) down" : "")
        let inner = Box(title: model.showingNow ? "Latency now" : "Latency", focused: focused, badge: badge).render(into: &grid, area: area, glyphs: g)
        guard inner.height > 0, inner.width > 0 else { return }
        guard !probes.isEmpty else {
            DashboardView.unavailable("no probes: watchbill --probe URL, or probes: in config.yaml", into: &grid, row: inner.row(0))
            return
        }
        let columns = [
            Table.Column("target", width: 10, .left), Table.Column("", width: 4, .left),
            Table.Column("last", width: 8), Table.Column("p95", width: 6), Table.Column("err", width: 6),
            Table.Column("up", width: 6), Table.Column("p50", width: 6), Table.Column("p99", width: 6),
            Table.Column("max", width: 6),
        ]
        let natural = Table(columns: columns, rows: []).naturalWidth
        // The sparkline takes what the numbers leave, up to one cell per 10-second slice.
        let sparkWidth = inner.width - natural - 1 >= 6 ? min(LatencyRecorder.slicesKept, inner.width - natural - 1) : 0
        let (tableArea, sparkArea) = sparkWidth > 0 ? inner.splitLeft(inner.width - sparkWidth - 1) : (inner, Rect(x: 0, y: 0, width: 0, height: 0))
        let visible = max(0, tableArea.height - 1)
        let selected = min(view.selected, probes.count - 1)
        let top = probeWindowTop(selected: selected, count: probes.count, visible: visible)
        let shown = Array(probes.dropFirst(top).prefix(visible))
        let rows = shown.map { p -> Table.Row in
            let (word, role) = ProbeFormat.upDown(p)
            let slo = p.spec.slo
            let last = p.last.map { $0.succeeded ? ProbeFormat.latency($0.duration) : ProbeFormat.failure($0) } ?? "-"
            let l = p.latency
            let has = l.count > 0
            return Table.Row(
                [p.spec.name, word, last, has ? ProbeFormat.latency(l.p95) : "-",
                 p.errorRate.map { Format.percent($0) } ?? "-", ProbeFormat.sli(p.uptime),
                 has ? ProbeFormat.latency(l.p50) : "-", has ? ProbeFormat.latency(l.p99) : "-",
                 has ? ProbeFormat.latency(l.max) : "-"],
                roles: [.text, role, p.last?.succeeded == false ? .critical : ProbeFormat.latencyRole(p.last?.duration, slo),
                        ProbeFormat.latencyRole(has ? l.p95 : nil, slo), ProbeFormat.errorRole(p.errorRate, slo),
                        ProbeFormat.availabilityRole(p.uptime, objective: slo.availability),
                        ProbeFormat.latencyRole(has ? l.p50 : nil, slo), ProbeFormat.latencyRole(has ? l.p99 : nil, slo), .muted])
        }
        Table(columns: columns, rows: rows).render(into: &grid, area: tableArea, glyphs: g)
        if sparkWidth > 0 {
            grid.text("p95 5m", x: sparkArea.x, y: sparkArea.y, style: Style(.muted, bold: true), limit: sparkArea.maxX)
            let shared = Graph.niceCeiling(probes.flatMap { $0.p95History.compactMap { $0 } }.max() ?? 0, minimum: 0.01)
            for (i, p) in shown.enumerated() {
                let values = p.p95History.map { $0 ?? .nan }
                let own = Graph.niceCeiling(values.filter(\.isFinite).max() ?? 0, minimum: 0.01)
                Sparkline(data: GraphData(values: values, endIndex: p.historyEndIndex), maximum: view.sharedAxis ? shared : own,
                          role: .latencyP95)
                    .render(into: &grid, area: Rect(x: sparkArea.x, y: sparkArea.y + 1 + i, width: sparkArea.width, height: 1), glyphs: g)
            }
        }
        if focused { highlightRow(tableArea.y + 1 + selected - top, in: inner, grid: &grid) }
    }
}
