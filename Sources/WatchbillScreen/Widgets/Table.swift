/// Rows of text under a header, in fixed-width columns, clipped to the area.
public struct Table: Widget {
    public enum Alignment: Sendable { case left, right }

    public struct Column {
        public var title: String
        public var width: Int
        public var alignment: Alignment
        public init(_ title: String, width: Int, _ alignment: Alignment = .right) {
            self.title = title
            self.width = width
            self.alignment = alignment
        }
    }

    public struct Row {
        public var cells: [String]
        public var roles: [Role]
        public init(_ cells: [String], roles: [Role] = []) {
            self.cells = cells
            self.roles = roles
        }
    }

    public var columns: [Column]
    public var rows: [Row]
    /// The column that takes the spare width (the first unless said otherwise).
    public var stretch: Int

    public init(columns: [Column], rows: [Row], stretch: Int = 0) {
        self.columns = columns
        self.rows = rows
        self.stretch = stretch
    }

    /// Columns and the spaces between them, unstretched.
    public var naturalWidth: Int { columns.reduce(0) { $0 + $1.width } + max(0, columns.count - 1) }

    /// Columns that fit in `width`, dropping from the right; the first column stretches.
    func fitted(to width: Int) -> [Column] {
        var cols: [Column] = []
        var used = 0
        for (i, c) in columns.enumerated() {
            let need = c.width + (i == 0 ? 0 : 1)
            if used + need > width { break }
            cols.append(c)
            used += need
        }
        if !cols.isEmpty { cols[min(stretch, cols.count - 1)].width += width - used }
        return cols
    }

    /// Draws the header and as many rows as fit; returns how many rows were drawn.
    @discardableResult
    public func render(into grid: inout Grid, area: Rect, glyphs: GlyphSet) -> Int {
        guard area.height > 0, area.width > 0 else { return 0 }
        let cols = fitted(to: area.width)
        func line(_ cells: [String], y: Int, roles: [Role], header: Bool) {
            var x = area.x
            for (i, c) in cols.enumerated() {
                let raw = i < cells.count ? cells[i] : ""
                let t = Format.clip(raw, c.width, ellipsis: glyphs.ellipsis)
                let role = header ? Role.muted : (i < roles.count ? roles[i] : .text)
                let style = Style(role, bold: header)
                if c.alignment == .left {
                    grid.text(t, x: x, y: y, style: style, limit: x + c.width)
                } else {
                    grid.textRight(t, right: x + c.width, y: y, style: style, minX: x)
                }
                x += c.width + 1
            }
        }
        line(cols.map(\.title), y: area.y, roles: [], header: true)
        let shown = min(rows.count, area.height - 1)
        for i in 0..<shown { line(rows[i].cells, y: area.y + 1 + i, roles: rows[i].roles, header: false) }
        return shown
    }
}
