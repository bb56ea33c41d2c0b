/// Values for a graph: the newest points of a series and the absolute position of the
/// newest one, so the graph can keep completed columns in place.
public struct GraphData: Sendable, Equatable {
    public var values: [Double]
    /// Absolute index one past the newest value (`RingBuffer.appendedCount`).
    public var endIndex: Int

    public init(values: [Double], endIndex: Int) {
        self.values = values
        self.endIndex = endIndex
    }

    public init(values: [Double]) {
        self.values = values
        endIndex = values.count
    }

    public static let empty = GraphData(values: [], endIndex: 0)
}

/// A filled area chart of a series, scrolling by pages.
///
/// Sending a shifted graph costs every cell of it (ncurses does not scroll columns), so
/// instead of shifting on every sample the graph keeps completed columns where they are
/// and jumps by a quarter of its width when the newest value reaches the right edge.
/// Between jumps only the newest cell changes: the bytes per second stay near those of
/// one column no matter how wide the graph is. NaN values (unreadable samples) are gaps.
public struct Graph {
    public var data: GraphData
    /// The value at the top row; values above it are drawn full.
    public var maximum: Double
    public var role: Role
    /// Roles from the bottom third to the top one (the theme's start, mid and end colors),
    /// so a high value reads hot at a glance; empty: `role` everywhere.
    public var gradient: [Role]

    public init(data: GraphData, maximum: Double, role: Role, gradient: [Role] = []) {
        self.data = data
        self.maximum = maximum
        self.role = role
        self.gradient = gradient
    }

    /// The role of a row, counted from the bottom: which part of the gradient it is in.
    func role(row fromBottom: Int, of height: Int) -> Role {
        guard !gradient.isEmpty, height > 0 else { return role }
        return gradient[min(gradient.count - 1, fromBottom * gradient.count / height)]
    }

    /// Samples one cell holds for a style.
    public static func samplesPerCell(_ style: GraphStyle) -> Int { style == .braille ? 2 : 1 }

    /// The absolute index shown in the leftmost dot column.
    public static func windowStart(endIndex: Int, capacity: Int, samplesPerCell: Int) -> Int {
        guard endIndex > capacity else { return 0 }
        let stride = max(samplesPerCell, (capacity / 4) / samplesPerCell * samplesPerCell)
        let over = endIndex - capacity
        return (over + stride - 1) / stride * stride
    }

    public func render(into grid: inout Grid, area: Rect, glyphs: GlyphSet) {
        guard area.width > 0, area.height > 0 else { return }
        let style = glyphs.graph
        let per = Graph.samplesPerCell(style)
        let capacity = area.width * per
        let start = Graph.windowStart(endIndex: data.endIndex, capacity: capacity, samplesPerCell: per)
        let firstHeld = data.endIndex - data.values.count
        let levelsPerRow = style == .braille ? 4 : (style == .block ? 8 : 2)
        let totalLevels = area.height * levelsPerRow
        let rowStyles = (0..<area.height).map { Style(role(row: area.height - 1 - $0, of: area.height)) }

        func level(at absolute: Int) -> Int? {
            guard absolute >= firstHeld, absolute < data.endIndex else { return nil }
            let v = data.values[absolute - firstHeld]
            guard v.isFinite, maximum > 0 else { return nil }
            let f = min(1, max(0, v / maximum))
            let l = Int((f * Double(totalLevels)).rounded())
            // Any activity at all stays visible as one level.
            return v > 0 && l == 0 ? 1 : l
        }

        for col in 0..<area.width {
            let abs0 = start + col * per
            let left = level(at: abs0)
            let right = per == 2 ? level(at: abs0 + 1) : nil
            for row in 0..<area.height {
                let base = (area.height - 1 - row) * levelsPerRow
                let scalar: Unicode.Scalar
                switch style {
                case .braille:
                    let l = min(4, max(0, (left ?? 0) - base))
                    let r = min(4, max(0, (right ?? 0) - base))
                    scalar = Graph.braille(left: l, right: r)
                case .block:
                    let l = min(8, max(0, (left ?? 0) - base))
                    scalar = l == 0 ? " " : glyphs.levels[min(glyphs.levels.count - 1, l - 1)]
                case .ascii:
                    let l = min(2, max(0, (left ?? 0) - base))
                    scalar = l == 0 ? " " : (l == 1 ? "." : "|")
                }
                grid.put(scalar, x: area.x + col, y: area.y + row, style: rowStyles[row])
            }
        }
    }

    /// A braille cell with the bottom `left` and `right` dots of each column raised.
    static func braille(left: Int, right: Int) -> Unicode.Scalar {
        let leftBits: [UInt32] = [0x40, 0x04, 0x02, 0x01]
        let rightBits: [UInt32] = [0x80, 0x20, 0x10, 0x08]
        var bits: UInt32 = 0
        for i in 0..<left { bits |= leftBits[i] }
        for i in 0..<right { bits |= rightBits[i] }
        return bits == 0 ? " " : Unicode.Scalar(0x2800 + bits)!
    }

    /// A round number at or above `value` (1, 2, 5 x 10^n), so the scale changes rarely.
    public static func niceCeiling(_ value: Double, minimum: Double = 1) -> Double {
        let v = max(value.isFinite ? value : 0, minimum)
        var p = 1.0
        while p * 10 <= v { p *= 10 }
        while p > v { p /= 10 }
        for m in [1.0, 2.0, 5.0, 10.0] where p * m >= v { return p * m }
        return p * 10
    }
}

/// One row of levels: the glyph set's sparkline characters, one sample per cell. Pages
/// like `Graph`, so a row of sparklines costs one changing cell per sample, not a shift.
public struct Sparkline {
    public var data: GraphData
    public var maximum: Double
    public var role: Role

    public init(data: GraphData, maximum: Double, role: Role) {
        self.data = data
        self.maximum = maximum
        self.role = role
    }

    public func render(into grid: inout Grid, x: Int, y: Int, width: Int, glyphs: GlyphSet) {
        guard width > 0 else { return }
        let start = Graph.windowStart(endIndex: data.endIndex, capacity: width, samplesPerCell: 1)
        let firstHeld = data.endIndex - data.values.count
        let n = glyphs.levels.count
        for col in 0..<width {
            let i = start + col
            var s: Unicode.Scalar = " "
            if i >= firstHeld, i < data.endIndex, maximum > 0 {
                let v = data.values[i - firstHeld]
                if v.isFinite, v > 0 {
                    s = glyphs.levels[max(0, min(n - 1, Int((min(1, v / maximum) * Double(n)).rounded(.up)) - 1))]
                }
            }
            grid.put(s, x: x + col, y: y, style: Style(role))
        }
    }
}
