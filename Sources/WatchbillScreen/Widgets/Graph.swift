/// Values for a graph: the newest points of a series and the absolute position of the
/// newest one, so the graph can keep completed columns in place.
public struct GraphData: Sendable, Equatable {
    public var values: [Double]
    /// Absolute index one past the newest value (`RingBuffer.appendedCount`).
    public var endIndex: Int

    /// The absolute index of the moment viewed while rewinding: a marker column, and the
    /// window moves to keep it on screen.
    public var cursor: Int?
    /// Alerts that fired and incident entries, at the absolute index of their time.
    public var marks: [GraphMark] = []

    public init(values: [Double], endIndex: Int, cursor: Int? = nil, marks: [GraphMark] = []) {
        self.values = values
        self.endIndex = endIndex
        self.cursor = cursor
        self.marks = marks
    }

    public init(values: [Double]) {
        self.values = values
        endIndex = values.count
    }

    public static let empty = GraphData(values: [], endIndex: 0)
}

/// Something that happened, drawn on the graphs at its time so cause and symptom line up.
public struct TimelineMark: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An alert started firing; P0 and P1 page.
        case alert(paging: Bool)
        /// An incident timeline entry (opened, a note, acknowledged, restored...).
        case incident
    }
    public var wallClock: Double
    public var kind: Kind

    public init(wallClock: Double, kind: Kind) {
        self.wallClock = wallClock
        self.kind = kind
    }
}

/// A timeline mark placed on a series: the absolute index of the sample at its time.
public struct GraphMark: Sendable, Equatable {
    public var index: Int
    public var kind: TimelineMark.Kind

    public init(index: Int, kind: TimelineMark.Kind) {
        self.index = index
        self.kind = kind
    }
}

/// A filled area chart of a series, scrolling by pages.
///
/// Sending a shifted graph costs every cell of it (ncurses does not scroll columns), so
/// instead of shifting on every sample the graph keeps completed columns where they are
/// and jumps by a quarter of its width when the newest value reaches the right edge.
/// Between jumps only the newest cell changes: the bytes per second stay near those of
/// one column no matter how wide the graph is. NaN values (unreadable samples) are gaps.
public struct Graph: Widget {
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
    public static func windowStart(endIndex: Int, capacity: Int, samplesPerCell: Int, cursor: Int? = nil) -> Int {
        let stride = max(samplesPerCell, (capacity / 4) / samplesPerCell * samplesPerCell)
        let over = endIndex - capacity
        let start = endIndex > capacity ? (over + stride - 1) / stride * stride : 0
        // A moment viewed off this page: the page holding it, with a quarter after it.
        guard let cursor, cursor < start || cursor >= start + capacity else { return start }
        return max(0, (cursor - capacity * 3 / 4) / stride * stride)
    }

    public func render(into grid: inout Grid, area: Rect, glyphs: GlyphSet) {
        guard area.width > 0, area.height > 0 else { return }
        let style = glyphs.graph
        let per = Graph.samplesPerCell(style)
        let capacity = area.width * per
        let start = Graph.windowStart(endIndex: data.endIndex, capacity: capacity, samplesPerCell: per, cursor: data.cursor)
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
        drawMarks(into: &grid, area: area, start: start, per: per, glyphs: glyphs)
    }

    /// Timeline marks on the top row; the cursor as a column (a line where the graph is
    /// empty, reversed cells where it is not).
    func drawMarks(into grid: inout Grid, area: Rect, start: Int, per: Int, glyphs: GlyphSet) {
        func column(_ index: Int) -> Int? {
            let c = index >= start ? (index - start) / per : -1
            return c >= 0 && c < area.width ? c : nil
        }
        for mark in data.marks {
            guard let col = column(mark.index) else { continue }
            let (glyph, role): (Unicode.Scalar, Role)
            switch mark.kind {
            case .alert(let paging): (glyph, role) = (glyphs.asciiOnly ? "v" : "▼", paging ? .critical : .warn)
            case .incident: (glyph, role) = (glyphs.asciiOnly ? "*" : "◆", .title)
            }
            grid.put(glyph, x: area.x + col, y: area.y, style: Style(role, bold: true))
        }
        if let cursor = data.cursor, let col = column(cursor) {
            for row in 0..<area.height {
                let x = area.x + col, y = area.y + row
                guard x >= 0, y >= 0, x < grid.width, y < grid.height else { continue }
                let cell = grid[x, y]
                if cell.scalar == " " {
                    grid.put(glyphs.vertical, x: x, y: y, style: Style(.selection, bold: true))
                } else {
                    grid.put(cell.scalar, x: x, y: y, style: Style(cell.style.role, bold: true, reverse: true))
                }
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
public struct Sparkline: Widget {
    public var data: GraphData
    public var maximum: Double
    public var role: Role

    public init(data: GraphData, maximum: Double, role: Role) {
        self.data = data
        self.maximum = maximum
        self.role = role
    }

    /// One sample a cell on the area's first row.
    public func render(into grid: inout Grid, area: Rect, glyphs: GlyphSet) {
        let (x, y, width) = (area.x, area.y, area.width)
        guard width > 0, area.height > 0 else { return }
        let start = Graph.windowStart(endIndex: data.endIndex, capacity: width, samplesPerCell: 1, cursor: data.cursor)
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
            if i == data.cursor {
                grid.put(s == " " ? glyphs.vertical : s, x: x + col, y: y, style: Style(s == " " ? .selection : role, bold: true, reverse: s != " "))
            } else {
                grid.put(s, x: x + col, y: y, style: Style(role))
            }
        }
    }
}
