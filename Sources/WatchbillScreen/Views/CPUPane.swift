import WatchbillCore

/// Total usage split by kind, load and pressure, the history graph, and every core:
/// meters while they fit, a one-cell-per-core heat grid when there are many.
enum CPUPane {
    static func render(_ data: DashboardData, focused: Bool, glyphs: GlyphSet, into grid: inout Grid, area: Rect) {
        let snap = data.snapshot
        let total = snap?.cpuTotal
        let box = Box(title: "CPU" + (snap.map { " \($0.coreCount) cores" } ?? ""), focused: focused,
                      badge: Format.percent(total?.busy))
        let inner = box.render(into: &grid, area: area, glyphs: glyphs)
        guard inner.height > 0, inner.width > 0 else { return }
        var rest = inner
        var row: Rect

        (row, rest) = rest.splitTop(1)
        if let t = total {
            DashboardView.meterRow("all ", labelWidth: 4, segments: segments(t), value: Format.percent(t.busy),
                                   valueRole: severityRole(t.busy), into: &grid, row: row, glyphs: glyphs)
        } else {
            DashboardView.unavailable(snap.map { $0.missing[.cpu] ?? "no rate yet (first sample)" } ?? "collecting...", into: &grid, row: row)
        }

        (row, rest) = rest.splitTop(1)
        if let t = total {
            let parts = [("usr", t.user + t.nice), ("sys", t.system), ("wa", t.iowait),
                         ("irq", t.irq + t.softirq), ("st", t.steal)]
            var x = row.x
            for (name, v) in parts where x < row.maxX {
                x = grid.text(name + " ", x: x, y: row.y, style: Style(.muted), limit: row.maxX)
                x = grid.text(Format.percent(v) + "  ", x: x, y: row.y, style: Style(.text), limit: row.maxX)
            }
        }

        (row, rest) = rest.splitTop(1)
        var line = ""
        if let l = snap?.load {
            line = "load \(Format.fixed(l.one, 2)) \(Format.fixed(l.five, 2)) \(Format.fixed(l.fifteen, 2))"
            // A node_exporter gives no task total: the running count alone then.
            line += l.total > 0 ? "  tasks \(snap?.runnable ?? l.runnable)/\(l.total)" : "  running \(snap?.runnable ?? l.runnable)"
        }
        if let b = snap?.blocked { line += " blk \(b)" }
        grid.text(line, x: row.x, y: row.y, style: Style(.text), limit: row.maxX)

        if let p = snap?.pressure {
            (row, rest) = rest.splitTop(1)
            func v(_ x: Pressure?) -> String { x.map { Format.fixed($0.someAvg10, 1) + "%" } ?? "n/a" }
            let text = "PSI 10s  cpu \(v(p.cpu))  mem \(v(p.memory))  io \(v(p.io))"
            grid.text(text, x: row.x, y: row.y, style: Style(.text), limit: row.maxX)
        }

        renderCoresAndGraph(data, glyphs: glyphs, into: &grid, area: rest)
    }

    static func segments(_ u: CPUUsage) -> [Meter.Segment] {
        [Meter.Segment(u.user + u.nice, .cpuUser), Meter.Segment(u.system, .cpuSystem),
         Meter.Segment(u.irq + u.softirq + u.steal, .cpuOther), Meter.Segment(u.iowait, .cpuIOWait)]
    }

    static func renderCoresAndGraph(_ data: DashboardData, glyphs: GlyphSet, into grid: inout Grid, area: Rect) {
        guard area.height > 0 else { return }
        let cores = (data.snapshot?.cpuCores ?? [:]).sorted { $0.key < $1.key }
        let minGraph = 3
        let labelWidth = String(cores.last?.key ?? 0).count + 1
        let cellWidth = labelWidth + 12
        let perRow = max(1, (area.width + 1) / (cellWidth + 1))
        let meterRows = (cores.count + perRow - 1) / perRow
        let heatPerRow = max(1, area.width - 6)
        let heatRows = (cores.count + heatPerRow - 1) / heatPerRow

        var graphArea = area
        if !cores.isEmpty && meterRows <= area.height - minGraph {
            let coreArea: Rect
            (graphArea, coreArea) = area.splitBottom(meterRows)
            let columns = coreArea.columns(perRow)
            for (i, (id, u)) in cores.enumerated() {
                let col = columns[i % perRow]
                let row = Rect(x: col.x, y: coreArea.y + i / perRow, width: col.width - (i % perRow == perRow - 1 ? 0 : 1),
                               height: 1)
                DashboardView.meterRow(Format.padLeft(String(id), labelWidth - 1) + " ", labelWidth: labelWidth,
                                       segments: segments(u), value: Format.percent(u.busy, decimals: 0),
                                       valueRole: severityRole(u.busy), into: &grid, row: row, glyphs: glyphs)
            }
        } else if !cores.isEmpty && heatRows <= area.height - 1 {
            let coreArea: Rect
            (graphArea, coreArea) = area.splitBottom(heatRows)
            for r in 0..<heatRows {
                let label = r == 0 ? "cores " : ""
                grid.text(label, x: coreArea.x, y: coreArea.y + r, style: Style(.muted))
            }
            for (i, (_, u)) in cores.enumerated() {
                let x = coreArea.x + 6 + i % heatPerRow
                let y = coreArea.y + i / heatPerRow
                let n = glyphs.levels.count
                // A replayed or remote figure may be anything: drawn within 0 to 100 %.
                let busy = u.busy.isFinite ? min(1, max(0, u.busy)) : 0
                let level = glyphs.levels[min(n - 1, Int((busy * Double(n - 1)).rounded()))]
                grid.put(level, x: x, y: y, style: Style(severityRole(u.busy)))
            }
        } else if !cores.isEmpty && area.height >= 2 {
            // Neither fits: say so rather than silently dropping the cores.
            let hint: Rect
            (graphArea, hint) = area.splitBottom(1)
            grid.text("\(cores.count) cores: Enter zooms to show each", x: hint.x, y: hint.y, style: Style(.muted),
                      limit: hint.maxX)
        }
        if graphArea.height > 0 {
            Graph(data: data.cpu, maximum: 1, role: .graphCPU, gradient: [.graphCPULow, .graphCPU, .graphCPUHigh]).render(into: &grid, area: graphArea, glyphs: glyphs)
        }
    }
}
