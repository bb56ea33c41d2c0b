/// A replay's whole recording on one row: where the alerts fired and incident entries were
/// written, and where the replay is now.
public struct ReplayTimeline: Sendable, Equatable {
    public var start: Double
    public var end: Double
    /// The wall clock of the tick on screen.
    public var position: Double
    public var marks: [TimelineMark]
    /// For the clock labels at both ends.
    public var utcOffset: Int

    public init(start: Double, end: Double, position: Double, marks: [TimelineMark], utcOffset: Int = 0) {
        self.start = start
        self.end = end
        self.position = position
        self.marks = marks
        self.utcOffset = utcOffset
    }
}

enum TimeBar {
    /// `21:00:03 ──▼────◆──█───── 22:00:03`: paging alerts over warnings over incident
    /// entries when they share a cell; the replay's position over all.
    static func render(_ t: ReplayTimeline, glyphs: GlyphSet, into grid: inout Grid, y: Int) {
        let left = clock(t.start, t.utcOffset) + " ", right = " " + clock(t.end, t.utcOffset)
        let labels = displayWidth(left) + displayWidth(right)
        let showLabels = grid.width - labels >= 10
        let x0 = showLabels ? displayWidth(left) : 0
        let width = grid.width - (showLabels ? labels : 0)
        guard width > 0 else { return }
        if showLabels {
            grid.text(left, x: 0, y: y, style: Style(.muted))
            grid.text(right, x: x0 + width, y: y, style: Style(.muted))
        }
        let span = max(t.end - t.start, 1e-9)
        func cell(_ time: Double) -> Int? {
            guard time >= t.start - 1, time <= t.end + 1 else { return nil }
            return min(width - 1, max(0, Int(((time - t.start) / span * Double(width)).rounded(.down))))
        }
        for x in 0..<width { grid.put(glyphs.horizontal, x: x0 + x, y: y, style: Style(.muted)) }
        var rank = [Int: Int]()
        for m in t.marks {
            guard let c = cell(m.wallClock) else { continue }
            let (glyph, role, weight): (Unicode.Scalar, Role, Int)
            switch m.kind {
            case .alert(let paging): (glyph, role, weight) = (glyphs.asciiOnly ? "v" : "▼", paging ? .critical : .warn, paging ? 3 : 2)
            case .incident: (glyph, role, weight) = (glyphs.asciiOnly ? "*" : "◆", .title, 1)
            }
            guard weight > rank[c, default: 0] else { continue }
            rank[c] = weight
            grid.put(glyph, x: x0 + c, y: y, style: Style(role, bold: true))
        }
        if let c = cell(t.position) {
            let under = grid[x0 + c, y]
            let mark = under.scalar == glyphs.horizontal ? (glyphs.asciiOnly ? "#" : "█") : under.scalar
            grid.put(mark, x: x0 + c, y: y, style: Style(rank[c] == nil ? .title : under.style.role, bold: true, reverse: rank[c] != nil))
        }
    }

    static func clock(_ t: Double, _ offset: Int) -> String {
        guard t.isFinite, abs(t) < 1e11 else { return "--:--:--" }
        let s = ((Int(t) + offset) % 86_400 + 86_400) % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(s / 3600)):\(two(s % 3600 / 60)):\(two(s % 60))"
    }
}
