/// The whole screen as cells: views draw here, tests read it, the backend diffs it.
/// Every write is clipped to the grid (and to the rect given), so nothing wraps.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Marks the last cell of text cut short (`…`, or `~` in ASCII): a reader must see that
    /// `probe=a` is not the whole label. nil leaves cut text unmarked.
    public var ellipsis: Unicode.Scalar?

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public mutating func put(_ scalar: Unicode.Scalar, x: Int, y: Int, style: Style = .plain) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = Cell(scalar, style: style)
    }

    public mutating func fill(_ rect: Rect, with scalar: Unicode.Scalar = " ", style: Style = .plain) {
        let r = clip(rect)
        guard !r.isEmpty else { return }
        let cell = Cell(scalar, style: style)
        for y in r.y..<r.maxY {
            let base = y * width
            for x in r.x..<r.maxX { cells[base + x] = cell }
        }
    }

    /// Writes `text` from (x, y), clipped at `limit` (exclusive, defaults to the grid edge).
    /// Returns the column after the last cell written.
    @discardableResult
    public mutating func text(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(limit ?? width, width)
        var cx = x
        let scalars = text.unicodeScalars
        for i in scalars.indices {
            let s = scalars[i]
            let w = displayWidth(s)
            if w == 0 { continue }
            if cx + w > end {
                // Cut: unless only blanks were left out, the last cell says so.
                if let ellipsis, cx - 1 >= max(0, x), scalars[i...].contains(where: { !$0.properties.isWhitespace }) {
                    let last = cells[y * width + cx - 1]
                    cells[y * width + cx - 1] = Cell(ellipsis, style: last.isContinuation ? style : last.style)
                    if last.isContinuation, cx - 2 >= 0 { cells[y * width + cx - 2] = Cell(" ", style: style) }
                }
                break
            }
            if cx >= 0 {
                cells[y * width + cx] = Cell(s, style: style)
                if w == 2 { cells[y * width + cx + 1] = Cell(" ", style: style, isContinuation: true) }
            }
            cx += w
        }
        return cx
    }

    /// Writes `text` so that it ends at column `right` (exclusive).
    @discardableResult
    public mutating func textRight(_ text: String, right: Int, y: Int, style: Style = .plain, minX: Int = 0) -> Int {
        let w = displayWidth(text)
        let x = max(minX, right - w)
        self.text(text, x: x, y: y, style: style, limit: right)
        return x
    }

    /// For a terminal without UTF-8: host names, mount points and interface names can hold
    /// any bytes, and each non-ASCII character becomes `?` (a wide one `??`) so that
    /// columns still line up.
    public mutating func replaceNonASCII() {
        for i in cells.indices where !cells[i].scalar.isASCII || cells[i].isContinuation {
            cells[i] = Cell("?", style: cells[i].style)
        }
    }

    func clip(_ r: Rect) -> Rect {
        let x0 = max(0, r.x), y0 = max(0, r.y)
        let x1 = min(width, r.maxX), y1 = min(height, r.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// The screen as text, one string per row, trailing spaces kept. For tests and `--once`.
    public var lines: [String] {
        (0..<height).map { y in
            var s = String.UnicodeScalarView()
            for x in 0..<width where !cells[y * width + x].isContinuation { s.append(cells[y * width + x].scalar) }
            return String(s)
        }
    }

    /// The rows with trailing spaces and trailing empty rows removed, joined by newlines.
    public var text: String {
        var rows = lines.map { l in
            var t = Substring(l)
            while t.last == " " { t = t.dropLast() }
            return String(t)
        }
        while rows.last == "" { rows.removeLast() }
        return rows.joined(separator: "\n")
    }
}
