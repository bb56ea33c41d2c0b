import WatchbillCore

/// Used, cache and swap meters, the figures behind them, and the used-memory history.
enum MemoryPane {
    static func render(_ data: DashboardData, focused: Bool, glyphs: GlyphSet, into grid: inout Grid, area: Rect) {
        let mem = data.snapshot?.memory
        let box = Box(title: "Memory" + (mem.map { " " + Format.bytes($0.total) } ?? ""), focused: focused,
                      badge: Format.percent(mem?.usedFraction))
        let inner = box.render(into: &grid, area: area, glyphs: glyphs)
        guard inner.height > 0, inner.width > 0 else { return }
        var rest = inner
        var row: Rect
        guard let m = mem else {
            (row, rest) = rest.splitTop(1)
            DashboardView.unavailable(data.snapshot.map { $0.missing[.memory] ?? "/proc/meminfo unreadable" } ?? "collecting...",
                                      into: &grid, row: row)
            return
        }
        let total = Double(max(1, m.total))
        let lw = 6
        (row, rest) = rest.splitTop(1)
        DashboardView.meterRow("used  ", labelWidth: lw, segments: [Meter.Segment(m.usedFraction, .memoryUsed)],
                               value: Format.bytes(m.used), valueRole: severityRole(m.usedFraction),
                               into: &grid, row: row, glyphs: glyphs)
        (row, rest) = rest.splitTop(1)
        // Saturating: a remote page or a recording can hold any count.
        let cached = m.buffers.plusSaturating(m.cached)
        let cache = Double(cached) / total
        DashboardView.meterRow("cache ", labelWidth: lw, segments: [Meter.Segment(cache, .memoryCache)],
                               value: Format.bytes(cached), valueRole: .text,
                               into: &grid, row: row, glyphs: glyphs)
        (row, rest) = rest.splitTop(1)
        if m.swapTotal > 0 {
            DashboardView.meterRow("swap  ", labelWidth: lw, segments: [Meter.Segment(m.swapFraction, .swap)],
                                   value: Format.bytes(m.swapUsed), valueRole: severityRole(m.swapFraction, warn: 0.5, critical: 0.8),
                                   into: &grid, row: row, glyphs: glyphs)
        } else {
            DashboardView.unavailable("swap  none", into: &grid, row: row)
        }
        (row, rest) = rest.splitTop(1)
        // Without MemAvailable the figure is an estimate, and says so.
        let text = "avail \(m.availableEstimated ? "~" : "")\(Format.bytes(m.available))\(m.availableEstimated ? " est." : "")  free \(Format.bytes(m.free))  "
            + "buf \(Format.bytes(m.buffers))  swap \(Format.bytes(m.swapUsed))/\(Format.bytes(m.swapTotal))"
        grid.text(Format.clip(text, row.width, ellipsis: glyphs.ellipsis), x: row.x, y: row.y, style: Style(.text))
        Graph(data: data.memory, maximum: 1, role: .graphMemory,
              gradient: [.graphMemory, .graphMemoryMid, .graphMemoryHigh]).render(into: &grid, area: rest, glyphs: glyphs)
    }
}
