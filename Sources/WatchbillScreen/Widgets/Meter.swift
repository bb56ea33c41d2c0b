/// A horizontal bar of one or more stacked segments, each a fraction of the whole.
///
/// Cells are whole glyphs except the last filled one, which takes an eighth block
/// where the glyph set has them, so small changes move few cells.
public struct Meter: Widget {
    public struct Segment {
        public var fraction: Double
        public var role: Role
        public init(_ fraction: Double, _ role: Role) {
            self.fraction = fraction
            self.role = role
        }
    }

    public var segments: [Segment]

    public init(_ segments: [Segment]) { self.segments = segments }
    public init(fraction: Double, role: Role) { segments = [Segment(fraction, role)] }

    /// The bar on the area's first row, as wide as the area.
    public func render(into grid: inout Grid, area: Rect, glyphs: GlyphSet) {
        let (x, y, width) = (area.x, area.y, area.width)
        guard width > 0, area.height > 0 else { return }
        let eighths = glyphs.meterEighths.isEmpty ? 1 : 8
        let units = width * eighths
        var boundaries: [(end: Int, role: Role)] = []
        var acc = 0.0
        for s in segments {
            let f = s.fraction.isFinite ? max(0, s.fraction) : 0
            acc = min(1, acc + f)
            boundaries.append((Int((acc * Double(units)).rounded()), s.role))
        }
        let filled = boundaries.last?.end ?? 0
        for i in 0..<width {
            let start = i * eighths
            let cellEnd = start + eighths
            if filled >= cellEnd {
                let mid = start + eighths / 2
                let role = boundaries.first(where: { $0.end > mid })?.role ?? boundaries.last!.role
                grid.put(glyphs.meterFull, x: x + i, y: y, style: Style(role))
            } else if filled > start && eighths > 1 {
                let part = filled - start
                let role = boundaries.first(where: { $0.end > start })?.role ?? .text
                grid.put(glyphs.meterEighths[part - 1], x: x + i, y: y, style: Style(role))
            } else {
                grid.put(glyphs.meterEmpty, x: x + i, y: y, style: Style(.muted))
            }
        }
    }
}

/// The role that says how worried to be about a fraction of capacity.
public func severityRole(_ fraction: Double?, warn: Double = 0.8, critical: Double = 0.9) -> Role {
    guard let f = fraction else { return .muted }
    return f >= critical ? .critical : (f >= warn ? .warn : .ok)
}
