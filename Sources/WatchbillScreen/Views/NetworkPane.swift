import WatchbillCore

/// Per-interface rates and the receive and transmit history of all interfaces together.
enum NetworkPane {
    static func render(_ data: DashboardData, focused: Bool, glyphs: GlyphSet, into grid: inout Grid, area: Rect) {
        let ifs = data.snapshot?.interfaces
        let rx = ifs?.reduce(0) { $0 + $1.rxBytesPerSecond }
        let tx = ifs?.reduce(0) { $0 + $1.txBytesPerSecond }
        let badge = ifs == nil || data.snapshot?.cpuTotal == nil ? ""
            : "\(glyphs.arrowDown)\(Format.rate(rx)) \(glyphs.arrowUp)\(Format.rate(tx))"
        let inner = Box(title: "Network", focused: focused, badge: badge).render(into: &grid, area: area, glyphs: glyphs)
        guard inner.height > 0, inner.width > 0 else { return }
        guard let ifs else {
            DashboardView.unavailable(data.snapshot.map { $0.missing[.network] ?? "/proc/net/dev unreadable" } ?? "collecting...",
                                      into: &grid, row: inner.row(0))
            return
        }
        let tableHeight = min(ifs.count + 1, max(2, inner.height / 2))
        let (tableArea, graphArea) = inner.splitTop(max(2, tableHeight))
        // Errors and drops matter more than packet counts, so they come before them.
        let rows = ifs.map { i in
            Table.Row([i.name, Format.rate(i.rxBytesPerSecond), Format.rate(i.txBytesPerSecond),
                       Format.perSecond(i.errorsPerSecond), Format.perSecond(i.dropsPerSecond),
                       Format.perSecond(i.rxPacketsPerSecond), Format.perSecond(i.txPacketsPerSecond)],
                      roles: [.text, .graphNetworkRx, .graphNetworkTx, i.errorsPerSecond > 0 ? .critical : .text,
                              i.dropsPerSecond > 0 ? .warn : .text, .text, .text])
        }
        let table = Table(columns: [Table.Column("iface", width: 7, .left), Table.Column("rx", width: 8),
                                    Table.Column("tx", width: 8), Table.Column("err/s", width: 5),
                                    Table.Column("drop/s", width: 6), Table.Column("rx pk/s", width: 7),
                                    Table.Column("tx pk/s", width: 7)],
                          rows: rows)
        // With room to spare, each interface gets its own traffic history after its numbers.
        let spare = tableArea.width - table.naturalWidth - 8
        if spare >= 12 {
            let (numbers, history) = tableArea.splitLeft(table.naturalWidth + 8)
            table.render(into: &grid, area: numbers, glyphs: glyphs)
            let graphArea = Rect(x: history.x + 1, y: history.y, width: history.width - 1, height: history.height)
            grid.text("rx+tx history", x: graphArea.x, y: graphArea.y, style: Style(.muted, bold: true), limit: graphArea.maxX)
            for (i, iface) in ifs.prefix(graphArea.height - 1).enumerated() {
                let series = data.interfaceTraffic[iface.name] ?? .empty
                let peak = series.values.suffix(graphArea.width).filter(\.isFinite).max() ?? 0
                Sparkline(data: series, maximum: Graph.niceCeiling(peak, minimum: 1000), role: .graphNetworkRx)
                    .render(into: &grid, area: Rect(x: graphArea.x, y: graphArea.y + 1 + i, width: graphArea.width, height: 1), glyphs: glyphs)
            }
        } else {
            table.render(into: &grid, area: tableArea, glyphs: glyphs)
        }
        if rows.isEmpty && tableArea.height > 1 {
            DashboardView.unavailable(data.snapshot?.cpuTotal == nil ? "collecting..." : "no interfaces besides lo",
                                      into: &grid, row: tableArea.row(1))
        }
        guard graphArea.height >= 2 else { return }
        let halves = graphArea.rows(2)
        renderDirection("rx", data.networkRx, role: .graphNetworkRx, glyphs: glyphs, into: &grid, area: halves[0])
        renderDirection("tx", data.networkTx, role: .graphNetworkTx, glyphs: glyphs, into: &grid, area: halves[1])
    }

    /// A label line with the scale, then the graph; the scale is a round number so that it
    /// changes (and repaints the graph) only when traffic crosses a step.
    static func renderDirection(_ name: String, _ series: GraphData, role: Role, glyphs: GlyphSet,
                                into grid: inout Grid, area: Rect) {
        let per = Graph.samplesPerCell(glyphs.graph)
        let visible = min(series.values.count, area.width * per)
        let peak = series.values.suffix(visible).filter(\.isFinite).max() ?? 0
        let top = Graph.niceCeiling(peak, minimum: 1000)
        let label = "\(name) max \(Format.rate(top))"
        if area.height >= 3 {
            let (labelRow, graphArea) = area.splitTop(1)
            grid.text(label, x: labelRow.x, y: labelRow.y, style: Style(.muted), limit: labelRow.maxX)
            Graph(data: series, maximum: top, role: role).render(into: &grid, area: graphArea, glyphs: glyphs)
        } else {
            Graph(data: series, maximum: top, role: role).render(into: &grid, area: area, glyphs: glyphs)
            // Over the graph's top row: a blank after the label keeps a mark there from
            // reading as part of it (`kB/sv`).
            grid.text(label + " ", x: area.x, y: area.y, style: Style(.muted), limit: area.maxX)
        }
    }
}
