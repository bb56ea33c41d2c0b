import WatchbillCore

public enum Pane: Int, CaseIterable, Sendable {
    case cpu, memory, disk, network

    public var title: String {
        switch self {
        case .cpu: return "CPU"
        case .memory: return "Memory"
        case .disk: return "Disk"
        case .network: return "Network"
        }
    }
}

/// Everything the screen shows and the keys change. `reduce` is the only way it changes.
public struct AppState: Sendable {
    public var data = DashboardData()
    /// Set while paused: the panes draw this instead of `data`.
    public var frozen: DashboardData?
    public var focus: Pane = .cpu
    public var zoomed = false
    public var showHelp = false
    public var interval: Double
    public var glyphs: GlyphSet
    /// Local time for the header, formatted by the caller (the screen model has no clock).
    public var clock = ""
    /// Panes per row in the current layout (2, or 4 on a wide and short wall display), so
    /// that arrow keys move to the pane that is really there. Set from `Screen.paneColumns`.
    public var paneColumns = 2

    public static let intervals: [Double] = [0.25, 0.5, 1, 2, 5, 10, 30, 60]

    public init(interval: Double = 1, glyphs: GlyphSet = .unicode) {
        self.interval = interval
        self.glyphs = glyphs
    }

    public var paused: Bool { frozen != nil }
    /// What the panes draw.
    public var shown: DashboardData { frozen ?? data }
}

/// What the world outside the screen model must do after an action.
public enum Effect: Equatable, Sendable {
    case quit
    case setInterval(Double)
}

extension AppState {
    /// Applies one action; returns what the caller must carry out.
    public mutating func reduce(_ action: Action) -> [Effect] {
        switch action {
        case .quit:
            return [.quit]
        case .toggleHelp:
            showHelp.toggle()
        case .togglePause:
            frozen = frozen == nil ? data : nil
        case .slower, .faster:
            let steps = AppState.intervals
            let i = steps.lastIndex(where: { $0 <= interval }) ?? 0
            let j = action == .slower ? min(steps.count - 1, i + 1) : max(0, steps[i] < interval ? i : i - 1)
            if steps[j] != interval {
                interval = steps[j]
                return [.setInterval(interval)]
            }
        case .focusNext:
            focus = Pane(rawValue: (focus.rawValue + 1) % Pane.allCases.count)!
        case .focusPrevious:
            focus = Pane(rawValue: (focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
        // Panes fill rows left to right: cpu memory / disk network, or all four in one row.
        case .focusLeft, .focusRight, .focusUp, .focusDown:
            let cols = max(1, paneColumns), i = focus.rawValue, n = Pane.allCases.count
            let target: Int
            switch action {
            case .focusLeft: target = i % cols > 0 ? i - 1 : i
            case .focusRight: target = i % cols < cols - 1 && i + 1 < n ? i + 1 : i
            case .focusUp: target = i - cols >= 0 ? i - cols : i
            default: target = i + cols < n ? i + cols : i
            }
            focus = Pane(rawValue: target)!
        case .zoom:
            if !showHelp { zoomed = true }
        case .back:
            if showHelp { showHelp = false } else { zoomed = false }
        }
        return []
    }

    /// A key through the keymap; unbound keys do nothing.
    public mutating func handle(_ key: Key, keymap: KeyMap = .standard) -> [Effect] {
        guard let action = keymap.action(for: key) else { return [] }
        return reduce(action)
    }
}
