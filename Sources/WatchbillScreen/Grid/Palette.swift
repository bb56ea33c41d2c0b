/// A terminal color: the terminal's own default, or an index into the 256-color palette.
public enum TerminalColor: Equatable, Sendable {
    case terminalDefault
    case index(Int)
}

/// How one role looks on a given terminal.
public struct RoleLook: Equatable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ foreground: TerminalColor = .terminalDefault, _ background: TerminalColor = .terminalDefault,
                bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }
}

/// The one place where roles become colors. Until the themes issue lands, a 16-color
/// palette (safe everywhere, the terminal's own shades) and an attributes-only one for
/// `NO_COLOR` and monochrome terminals.
public struct Palette: Sendable {
    public var looks: [Role: RoleLook]
    public var usesColor: Bool

    public func look(_ role: Role) -> RoleLook { looks[role] ?? RoleLook() }

    // ANSI indexes: 0 black 1 red 2 green 3 yellow 4 blue 5 magenta 6 cyan 7 white, +8 bright.
    public static let standard = Palette(looks: [
        .text: RoleLook(),
        .muted: RoleLook(.index(8)),
        .title: RoleLook(.index(6), bold: true),
        .border: RoleLook(.index(8)),
        .focusedBorder: RoleLook(.index(6), bold: true),
        .header: RoleLook(.index(15), .index(4)),
        .selection: RoleLook(reverse: true),
        // Status colors chosen to stay apart for red-green color blindness: blue, yellow, red.
        .ok: RoleLook(.index(4)),
        .warn: RoleLook(.index(3)),
        .critical: RoleLook(.index(1), bold: true),
        .cpuUser: RoleLook(.index(2)),
        .cpuSystem: RoleLook(.index(1)),
        .cpuIOWait: RoleLook(.index(5)),
        .cpuOther: RoleLook(.index(3)),
        .graphCPU: RoleLook(.index(2)),
        .graphMemory: RoleLook(.index(3)),
        .graphDisk: RoleLook(.index(5)),
        .graphNetworkRx: RoleLook(.index(6)),
        .graphNetworkTx: RoleLook(.index(5)),
        .memoryUsed: RoleLook(.index(3)),
        .memoryCache: RoleLook(.index(4)),
        .swap: RoleLook(.index(1)),
    ], usesColor: true)

    /// Attributes only: what stands out is bold or reversed, what matters less is dim.
    public static let monochrome = Palette(looks: [
        .muted: RoleLook(dim: true),
        .title: RoleLook(bold: true),
        .border: RoleLook(dim: true),
        .focusedBorder: RoleLook(bold: true),
        .header: RoleLook(reverse: true),
        .selection: RoleLook(reverse: true),
        .warn: RoleLook(bold: true),
        .critical: RoleLook(bold: true, underline: true),
    ], usesColor: false)
}
