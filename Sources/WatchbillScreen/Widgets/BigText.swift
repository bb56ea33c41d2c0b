/// Digits five rows tall, for a clock read across a room. Each glyph is three cells wide;
/// `#` marks a lit cell, drawn as a full block (or `#` on an ASCII terminal).
public struct BigText: Widget {
    static let rows = 5
    static let font: [Character: [String]] = [
        "0": ["###", "# #", "# #", "# #", "###"], "1": ["  #", "  #", "  #", "  #", "  #"],
        "2": ["###", "  #", "###", "#  ", "###"], "3": ["###", "  #", "###", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"], "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"], "7": ["###", "  #", "  #", "  #", "  #"],
        "8": ["###", "# #", "###", "# #", "###"], "9": ["###", "# #", "###", "  #", "###"],
        ":": [" ", "#", " ", "#", " "], " ": [" ", " ", " ", " ", " "],
    ]

    /// Columns `text` takes: glyph widths plus one blank column between glyphs.
    public static func width(_ text: String) -> Int {
        let widths = text.map { font[$0]?.first?.count ?? 3 }
        return widths.reduce(0, +) + max(0, widths.count - 1)
    }

    public var text: String
    public var style: Style

    public init(_ text: String, style: Style) {
        self.text = text
        self.style = style
    }

    /// From the area's top left corner; what does not fit is cut at its edges.
    public func render(into grid: inout Grid, area: Rect, glyphs: GlyphSet) {
        let lit: Unicode.Scalar = glyphs.asciiOnly ? "#" : "█"
        let (x, y) = (area.x, area.y)
        var cx = x
        for ch in text {
            let glyph = Self.font[ch] ?? Self.font[" "]!
            for (dy, line) in glyph.enumerated() {
                for (dx, c) in line.enumerated() where c == "#" && area.contains(x: cx + dx, y: y + dy) {
                    grid.put(lit, x: cx + dx, y: y + dy, style: style)
                }
            }
            cx += (glyph.first?.count ?? 3) + 1
        }
    }
}
