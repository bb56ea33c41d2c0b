/// A key press as the app sees it, independent of the terminal library.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case enter, escape, tab, backTab
    case pageUp, pageDown, home, end

    /// How the help screen writes the key.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        }
    }
}

/// Everything a key can ask for. Names are stable: the keymap file (themes issue) will
/// refer to them.
public enum Action: String, CaseIterable, Sendable {
    case quit
    case toggleHelp = "help"
    case togglePause = "pause"
    case slower = "interval-longer"
    case faster = "interval-shorter"
    case focusNext = "focus-next"
    case focusPrevious = "focus-previous"
    case focusLeft = "focus-left"
    case focusRight = "focus-right"
    case focusUp = "focus-up"
    case focusDown = "focus-down"
    case zoom
    case back

    public var summary: String {
        switch self {
        case .quit: return "quit (Ctrl-C too)"
        case .toggleHelp: return "show or hide this help"
        case .togglePause: return "pause: freeze panes, keep collecting"
        case .slower: return "longer sampling interval"
        case .faster: return "shorter sampling interval"
        case .focusNext: return "focus next pane"
        case .focusPrevious: return "focus previous pane"
        case .focusLeft: return "focus pane to the left"
        case .focusRight: return "focus pane to the right"
        case .focusUp: return "focus pane above"
        case .focusDown: return "focus pane below"
        case .zoom: return "zoom focused pane to full screen"
        case .back: return "back: close help, leave zoom"
        }
    }
}

/// Every default binding in one table. The help overlay is generated from it, so the
/// two cannot disagree.
public struct KeyMap: Sendable {
    public var bindings: [(key: Key, action: Action)]

    public init(bindings: [(key: Key, action: Action)]) { self.bindings = bindings }

    public static let standard = KeyMap(bindings: [
        (.character("q"), .quit), (.character("?"), .toggleHelp), (.character("p"), .togglePause),
        (.character("+"), .slower), (.character("="), .slower), (.character("-"), .faster),
        (.tab, .focusNext), (.backTab, .focusPrevious),
        (.left, .focusLeft), (.character("h"), .focusLeft), (.right, .focusRight), (.character("l"), .focusRight),
        (.up, .focusUp), (.character("k"), .focusUp), (.down, .focusDown), (.character("j"), .focusDown),
        (.enter, .zoom), (.escape, .back),
    ])

    public func action(for key: Key) -> Action? {
        bindings.first(where: { $0.key == key })?.action
    }

    /// One line per action, its keys joined: `h, Left  focus pane to the left`.
    public var helpLines: [(keys: String, summary: String)] {
        var order: [Action] = []
        var keys: [Action: [String]] = [:]
        for b in bindings {
            if keys[b.action] == nil { order.append(b.action) }
            keys[b.action, default: []].append(b.key.label)
        }
        return order.map { (keys[$0]!.joined(separator: ", "), $0.summary) }
    }
}
