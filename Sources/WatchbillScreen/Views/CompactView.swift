import WatchbillCore
import WatchbillDomain

/// One line per resource, for a small tmux pane or SSH split: the numbers an on-call
/// engineer checks first, with a CPU sparkline when there is a spare row.
enum CompactView {
    static func render(_ state: AppState, into grid: inout Grid) {
        HeaderView.render(state, into: &grid, y: 0)
        let data = state.shown
        let snap = data.snapshot
        let g = state.glyphs
        var y = 1
        func row() -> Rect? {
            guard y < grid.height else { return nil }
            defer { y += 1 }
            return Rect(x: 0, y: y, width: grid.width, height: 1)
        }
        let lw = 5
        // Symptoms before causes: with probes, their state is the first line.
        if state.hasProbes, let r = row() { serviceLine(data.probes, into: &grid, row: r, labelWidth: lw) }
        if let r = row() {
            if let t = snap?.cpuTotal {
                DashboardView.meterRow("CPU  ", labelWidth: lw, segments: CPUPane.segments(t),
                                       value: Format.percent(t.busy), valueRole: severityRole(t.busy),
                                       into: &grid, row: r, glyphs: g)
            } else {
                DashboardView.unavailable("CPU  collecting...", into: &grid, row: r)
            }
        }
        if let r = row() {
            if let m = snap?.memory {
                DashboardView.meterRow("MEM  ", labelWidth: lw, segments: [Meter.Segment(m.usedFraction, .memoryUsed)],
                                       value: Format.percent(m.usedFraction), valueRole: severityRole(m.usedFraction),
                                       into: &grid, row: r, glyphs: g)
            } else {
                DashboardView.unavailable("MEM  n/a", into: &grid, row: r)
            }
        }
        if let r = row() {
            let worst = snap?.filesystems?.max { $0.usedFraction < $1.usedFraction }
            if let fs = worst {
                let name = Format.clip(fs.mount.mountPoint, 8, ellipsis: g.ellipsis)
                DashboardView.meterRow("DISK ", labelWidth: lw,
                                       segments: [Meter.Segment(fs.usedFraction, severityRole(fs.usedFraction))],
                                       value: "\(name) \(Format.percent(fs.usedFraction, decimals: 0))",
                                       valueRole: severityRole(fs.usedFraction), into: &grid, row: r, glyphs: g)
            } else {
                DashboardView.unavailable("DISK n/a", into: &grid, row: r)
            }
        }
        if let r = row() {
            let ifs = snap?.interfaces ?? []
            let rx = ifs.reduce(0) { $0 + $1.rxBytesPerSecond }, tx = ifs.reduce(0) { $0 + $1.txBytesPerSecond }
            let load = snap?.load.map { "  load \(Format.fixed($0.one, 2))" } ?? ""
            grid.text("NET  ", x: r.x, y: r.y, style: Style(.muted))
            grid.text("\(g.arrowDown)\(Format.rate(rx)) \(g.arrowUp)\(Format.rate(tx))\(load)", x: r.x + lw, y: r.y,
                      style: Style(.text), limit: r.maxX)
        }
        if grid.height - y >= 1, let r = row() {
            grid.text("hist ", x: r.x, y: r.y, style: Style(.muted))
            Sparkline(data: data.cpu, maximum: 1, role: .graphCPU)
                .render(into: &grid, area: Rect(x: r.x + lw, y: r.y, width: r.width - lw, height: 1), glyphs: g)
        }
    }

    /// `SVC  4 up 1 down  1 BREACHED 1 AT RISK  worst p95 search 612ms`
    static func serviceLine(_ probes: [ProbeSummary], into grid: inout Grid, row r: Rect, labelWidth: Int) {
        grid.text("SVC  ", x: r.x, y: r.y, style: Style(.muted))
        let down = probes.filter { $0.isUp == false }.count, up = probes.filter { $0.isUp == true }.count
        let troubled = ProbeFormat.troubled(probes)
        var x = grid.text("\(up) up", x: r.x + labelWidth, y: r.y, style: Style(.ok), limit: r.maxX)
        if down > 0 { x = grid.text(" \(down) down", x: x, y: r.y, style: Style(.critical, bold: true), limit: r.maxX) }
        if !troubled.isEmpty { x = grid.text("  " + troubled, x: x, y: r.y, style: Style(.warn, bold: true), limit: r.maxX) }
        if let worst = probes.filter({ $0.latency.count > 0 }).max(by: { $0.latency.p95 < $1.latency.p95 }) {
            grid.text("  worst p95 \(worst.spec.name) \(ProbeFormat.latency(worst.latency.p95))", x: x, y: r.y,
                      style: Style(ProbeFormat.latencyRole(worst.latency.p95, worst.spec.slo)), limit: r.maxX)
        }
    }
}
