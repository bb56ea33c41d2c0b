/// Digits five rows tall, for a clock read across a room. Each glyph is three cells wide;
/// `#` marks a lit cell, drawn as a full block (or `#` on an ASCII terminal).
public enum BigText {
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

    public static func render(_ text: String, into grid: inout Grid, x: Int, y: Int, style: Style, glyphs: GlyphSet) {
        let lit: Unicode.Scalar = glyphs.asciiOnly ? "#" : "█"
        var cx = x
        for ch in text {
            let glyph = font[ch] ?? font[" "]!
            for (dy, line) in glyph.enumerated() {
                for (dx, c) in line.enumerated() where c == "#" { grid.put(lit, x: cx + dx, y: y + dy, style: style) }
            }
            cx += (glyph.first?.count ?? 3) + 1
        }
    }
}
