/// How graphs draw their values.
public enum GraphStyle: String, Sendable, CaseIterable {
    /// 2x4 dots per cell: twice the samples and four times the levels of blocks.
    case braille
    /// One sample per cell, eight levels per row.
    case block
    /// For terminals and fonts without Unicode.
    case ascii
}

/// The characters the widgets draw with: Unicode, or ASCII for `LANG=C` and old consoles.
public struct GlyphSet: Sendable, Equatable {
    public var horizontal: Unicode.Scalar
    public var vertical: Unicode.Scalar
    public var topLeft: Unicode.Scalar
    public var topRight: Unicode.Scalar
    public var bottomLeft: Unicode.Scalar
    public var bottomRight: Unicode.Scalar
    public var meterFull: Unicode.Scalar
    /// Partial fills of a meter cell from 1/8 to 7/8; empty means whole cells only.
    public var meterEighths: [Unicode.Scalar]
    public var meterEmpty: Unicode.Scalar
    /// Sparkline levels from lowest to highest.
    public var levels: [Unicode.Scalar]
    public var graph: GraphStyle
    public var ellipsis: String
    public var arrowUp: String
    public var arrowDown: String

    public static let unicode = GlyphSet(
        horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯",
        meterFull: "█", meterEighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], meterEmpty: "·",
        levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], graph: .braille, ellipsis: "…",
        arrowUp: "↑", arrowDown: "↓")

    public static let ascii = GlyphSet(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        meterFull: "|", meterEighths: [], meterEmpty: ".",
        levels: ["_", ".", "-", "=", "#"], graph: .ascii, ellipsis: "~",
        arrowUp: "^", arrowDown: "v")

    /// True for the ASCII set: the screen must then hold nothing else, whatever the data says.
    public var asciiOnly: Bool { horizontal.isASCII && meterFull.isASCII }

    public func with(graph: GraphStyle) -> GlyphSet {
        var g = self
        g.graph = graph
        return g
    }
}
