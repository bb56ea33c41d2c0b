import WatchbillCore
import WatchbillDomain

/// Per target, the SLO in plain words: OK, AT RISK, BREACHED, with availability, p95 over
/// the last hour, error rate, error budget left and burn rates, each against its target.
enum SLOPane {
    static func render(_ model: ProbePaneModel, focused: Bool, into grid: inout Grid, area: Rect) {
        let probes = model.probes
        let g = model.glyphs
        let troubled = ProbeFormat.troubled(probes)
        let window = probes.first.map { spanLabel($0.spec.slo.window) } ?? "30d"
        let inner = Box(title: model.showingNow ? "SLO now" : "SLO", focused: focused,
                        badge: window + (troubled.isEmpty ? "" : " " + troubled))
            .render(into: &grid, area: area, glyphs: g)
        guard inner.height > 0, inner.width > 0 else { return }
        guard !probes.isEmpty else {
            DashboardView.unavailable("no probes", into: &grid, row: inner.row(0))
            return
        }
        let columns = [
            Table.Column("target", width: 10, .left), Table.Column("status", width: 8, .left),
            Table.Column("avail", width: 7), Table.Column("p95 1h", width: 6), Table.Column("err", width: 6),
            Table.Column("budget", width: 6), Table.Column("lat.bud", width: 7),
            Table.Column("burn1h", width: 6), Table.Column("6h", width: 5), Table.Column("3d", width: 5),
        ]
        let visible = max(0, inner.height - 1)
        let selected = min(model.view.selected, probes.count - 1)
        let top = probeWindowTop(selected: selected, count: probes.count, visible: visible)
        let rows = probes.dropFirst(top).prefix(visible).map { p -> Table.Row in
            let r = p.slo, slo = p.spec.slo
            let burn1h = worst(r, 3600), burn6h = worst(r, 6 * 3600), burn3d = worst(r, 3 * 86_400)
            return Table.Row(
                [p.spec.name, ProbeFormat.status(r), ProbeFormat.sli(r.availability.value), ProbeFormat.latency(p.hourP95),
                 r.errorRate.map { Format.percent($0, decimals: 2) } ?? "-",
                 ProbeFormat.budget(r.availability.budgetLeft, r), ProbeFormat.budget(r.latency.budgetLeft, r),
                 ProbeFormat.burn(burn1h), ProbeFormat.burn(burn6h), ProbeFormat.burn(burn3d)],
                roles: [.text, ProbeFormat.statusRole(r.status),
                        ProbeFormat.availabilityRole(r.availability.value, objective: slo.availability),
                        ProbeFormat.latencyRole(p.hourP95, slo), ProbeFormat.errorRole(r.errorRate, slo),
                        ProbeFormat.budgetRole(r.availability.budgetLeft), ProbeFormat.budgetRole(r.latency.budgetLeft),
                        ProbeFormat.burnRole(burn1h), ProbeFormat.burnRole(burn6h), ProbeFormat.burnRole(burn3d)])
        }
        Table(columns: columns, rows: Array(rows)).render(into: &grid, area: inner, glyphs: g)
        if focused { highlightRow(inner.y + 1 + selected - top, in: inner, grid: &grid) }
    }

    /// The faster of the availability and latency burns over `window`.
    static func worst(_ r: SLOReport, _ window: Double) -> Double? {
        let a = r.availability.burnRates[window], l = r.latency.burnRates[window]
        switch (a, l) {
        case let (a?, l?): return max(a, l)
        default: return a ?? l
        }
    }
}
