/// A terminal color: the terminal's own default, an index into the 256-color palette, or
/// an exact color for truecolor terminals.
public enum TerminalColor: Equatable, Sendable {
    case terminalDefault
    case index(Int)
    case rgb(RGB)
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

/// The one place where roles become colors: a theme resolved for the terminal's color
/// depth, or attributes alone for `NO_COLOR` and monochrome terminals.
public struct Palette: Sendable {
    public var looks: [Role: RoleLook]
    public var usesColor: Bool

    public func look(_ role: Role) -> RoleLook { looks[role] ?? RoleLook() }

    /// Which theme key colors each role.
    static let themeKeys: [Role: ThemeKey] = [
        .text: .foreground, .muted: .muted, .title: .title, .border: .border, .focusedBorder: .focusedBorder,
        .header: .title, .ok: .ok, .warn: .warn, .critical: .critical,
        .cpuUser: .cpuStart, .cpuSystem: .cpuEnd, .cpuIOWait: .diskStart, .cpuOther: .cpuMid,
        .graphCPU: .cpuMid, .graphMemory: .memoryStart, .graphDisk: .diskMid,
        .graphNetworkRx: .networkStart, .graphNetworkTx: .networkEnd,
        .graphCPULow: .cpuStart, .graphCPUHigh: .cpuEnd, .graphMemoryMid: .memoryMid, .graphMemoryHigh: .memoryEnd,
        .memoryUsed: .memoryStart, .memoryCache: .memoryEnd, .swap: .warn,
        .latencyP50: .latencyStart, .latencyP95: .latencyMid, .latencyP99: .latencyEnd,
        .phaseDNS: .networkStart, .phaseConnect: .networkEnd, .phaseTLS: .memoryStart,
        .phaseFirstByte: .latencyMid, .phaseTransfer: .cpuMid,
    ]

    /// `theme` at `depth`. Attributes that carry meaning (bold titles, bold critical) stay
    /// at every depth, so the mono theme and monochrome terminals lose no information.
    public static func make(theme: Theme, depth: ColorDepth) -> Palette {
        guard depth != .monochrome, !theme.colors.isEmpty else { return .monochrome }
        let background = theme[.background].map(depth.resolve) ?? .terminalDefault
        var looks: [Role: RoleLook] = [:]
        for role in Role.allCases {
            var look = monochrome.look(role)
            look.dim = false
            look.underline = false
            if let key = themeKeys[role], let c = theme[key] { look.foreground = depth.resolve(c) }
            look.background = background
            looks[role] = look
        }
        // The header is a bar in the title color; the selection a band in its own color.
        looks[.header] = RoleLook(looks[.header]!.foreground, background, bold: true, reverse: true)
        if let sel = theme[.selection] {
            looks[.selection] = RoleLook(looks[.text]!.foreground, depth.resolve(sel))
        }
        // With 16 colors, nearby theme shades can collapse into one (amber and red both
        // become red): status keeps the classic blue, yellow, red so it always reads apart.
        if depth == .ansi16 {
            looks[.ok]?.foreground = .index(4)
            looks[.warn]?.foreground = .index(3)
            looks[.critical]?.foreground = .index(1)
        }
        return Palette(looks: looks, usesColor: true)
    }

    public static let standard = Palette.make(theme: .standard, depth: .ansi16)

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
