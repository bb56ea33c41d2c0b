/// How many colors the terminal can show, from most to fewest.
public enum ColorDepth: String, CaseIterable, Sendable {
    case truecolor
    case xterm256 = "256"
    case ansi16 = "16"
    case monochrome = "mono"

    /// `NO_COLOR` wins, then an explicit choice (`--colors`), then what the terminal says:
    /// a `*-direct` terminfo (millions of colors) or `COLORTERM=truecolor`/`24bit`, else
    /// the terminfo color count.
    public static func detect(terminfoColors: Int, colorterm: String?, noColor: Bool, override: ColorDepth?) -> ColorDepth {
        if noColor { return .monochrome }
        if let override { return override }
        if terminfoColors >= 1 << 24 { return .truecolor }
        if terminfoColors >= 256 { return colorterm == "truecolor" || colorterm == "24bit" ? .truecolor : .xterm256 }
        if terminfoColors >= 8 { return .ansi16 }
        return .monochrome
    }

    /// The palette index nearest to `c` at this depth; truecolor keeps the RGB.
    public func resolve(_ c: RGB) -> TerminalColor {
        switch self {
        case .truecolor: return .rgb(c)
        case .xterm256: return .index(ColorDepth.nearestXterm256(c))
        case .ansi16: return .index(ColorDepth.nearestANSI16(c))
        case .monochrome: return .terminalDefault
        }
    }

    static func distance(_ a: RGB, _ b: RGB) -> Int {
        let dr = Int(a.r) - Int(b.r), dg = Int(a.g) - Int(b.g), db = Int(a.b) - Int(b.b)
        // Weighted for the eye's sensitivity: green counts most, blue least.
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }

    static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// The nearest of the 6x6x6 cube (16...231) and the gray ramp (232...255).
    public static func nearestXterm256(_ c: RGB) -> Int {
        func level(_ v: UInt8) -> Int { cubeLevels.indices.min { abs(Int(cubeLevels[$0]) - Int(v)) < abs(Int(cubeLevels[$1]) - Int(v)) }! }
        let (ri, gi, bi) = (level(c.r), level(c.g), level(c.b))
        let cube = RGB(cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        let average = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let grayStep = max(0, min(23, (average - 8 + 5) / 10))
        let grayValue = UInt8(8 + 10 * grayStep)
        let gray = RGB(grayValue, grayValue, grayValue)
        return distance(c, gray) < distance(c, cube) ? 232 + grayStep : cubeIndex
    }

    /// xterm's default 16 colors.
    static let xtermDefault16: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0), RGB(0, 0, 238), RGB(205, 0, 205),
        RGB(0, 205, 205), RGB(229, 229, 229), RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// The color an xterm palette index stands for.
    public static func xtermRGB(_ i: Int) -> RGB {
        if i < 16 { return xtermDefault16[max(0, i)] }
        if i >= 232 { let v = UInt8(8 + 10 * min(23, i - 232)); return RGB(v, v, v) }
        let n = i - 16
        return RGB(cubeLevels[n / 36], cubeLevels[(n / 6) % 6], cubeLevels[n % 6])
    }

    public static func nearestANSI16(_ c: RGB) -> Int {
        xtermDefault16.indices.min { distance(c, xtermDefault16[$0]) < distance(c, xtermDefault16[$1]) }!
    }
}
