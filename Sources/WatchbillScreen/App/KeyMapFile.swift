import WatchbillCore
import WatchbillYAML


/// The user's key bindings, over the defaults:
///
/// ```yaml
/// standard:             # anywhere
///   quit: [q, x]
///   next-theme: C
/// processes:            # when the Processes pane has focus
///   terminate: [K]
/// probes:               # when the Latency or SLO pane has focus
///   latency-window: W
/// alerts:               # in the Alerts pane, its detail and the silences list
///   silence: [x]
/// incidents:            # in the incident list and an incident
/// fleet:                # in the fleet view (`--node`)
///   note: [n]
/// ```
///
/// An action listed replaces all its default keys in that section. Unknown sections,
/// actions and key names, and one key bound to two actions in a section, are errors.
public struct KeyMaps: Sendable {
    public var standard = KeyMap.standard
    public var processes = KeyMap.processes
    public var probes = KeyMap.probes
    public var alerts = KeyMap.alerts
    public var incidents = KeyMap.incidents
    public var fleet = KeyMap.fleet
    public init() {}
}

public enum KeyMapFile {
    public static func load(_ text: String, file: String, defaults: KeyMaps = KeyMaps()) throws -> KeyMaps {
        let root: Node?
        do {
            root = try YAML.compose(text)
        } catch let error as YAMLError {
            throw SourceError(file: file, line: error.mark.line, cause: "not YAML: \(error)")
        }
        guard let root else { return defaults }
        guard let sections = root.mapping else {
            throw SourceError(file: file, line: root.mark?.line ?? 1, cause: "expected sections 'standard', 'processes', 'probes', 'alerts', 'incidents' and 'fleet'")
        }
        var result = defaults
        for (name, body) in sections {
            let at = name.mark?.line ?? 1
            switch name.string {
            case "standard": result.standard = try merge(body, into: result.standard, file: file)
            case "processes": result.processes = try merge(body, into: result.processes, file: file)
            case "probes": result.probes = try merge(body, into: result.probes, file: file)
            case "alerts": result.alerts = try merge(body, into: result.alerts, file: file)
            case "incidents": result.incidents = try merge(body, into: result.incidents, file: file)
            case "fleet": result.fleet = try merge(body, into: result.fleet, file: file)
            default:
                throw SourceError(file: file, line: at,
                                  cause: "unknown section '\(name.string ?? "?")' (standard, processes, probes, alerts, incidents, fleet)")
            }
        }
        return result
    }

    static func merge(_ body: Node, into base: KeyMap, file: String) throws -> KeyMap {
        guard let entries = body.mapping else {
            throw SourceError(file: file, line: body.mark?.line ?? 1, cause: "expected 'action: [keys]' lines")
        }
        var bindings = base.bindings
        var owner: [Key: (action: Action, line: Int)] = [:]
        var replaced: [(key: Key, action: Action, line: Int)] = []
        for (actionNode, keysNode) in entries {
            let line = actionNode.mark?.line ?? 1
            guard let name = actionNode.string, let action = Action(rawValue: name) else {
                throw SourceError(file: file, line: line, cause: "unknown action '\(actionNode.string ?? "?")'")
            }
            let keyNodes = keysNode.sequence.map(Array.init) ?? [keysNode]
            bindings.removeAll { $0.action == action }
            for k in keyNodes {
                guard let text = k.string, let key = parseKey(text) else {
                    throw SourceError(file: file, line: k.mark?.line ?? line, cause: "unknown key '\(k.string ?? "?")'")
                }
                replaced.append((key, action, k.mark?.line ?? line))
            }
        }
        // A default binding gives way to a key the file gives to another action.
        let taken = Set(replaced.map(\.key))
        bindings.removeAll { taken.contains($0.key) }
        for r in replaced {
            if let other = owner[r.key], other.action != r.action {
                throw SourceError(file: file, line: r.line,
                                  cause: "'\(r.key.label)' is bound to both \(other.action.rawValue) (line \(other.line)) and \(r.action.rawValue)")
            }
            owner[r.key] = (r.action, r.line)
            bindings.append((r.key, r.action))
        }
        return KeyMap(bindings: bindings, summaries: base.summaries)
    }

    static let named: [String: Key] = [
        "Up": .up, "Down": .down, "Left": .left, "Right": .right, "Enter": .enter, "Esc": .escape, "Tab": .tab,
        "Shift-Tab": .backTab, "Backspace": .backspace, "PgUp": .pageUp, "PgDn": .pageDown, "Home": .home,
        "End": .end, "Space": .character(" "),
    ]

    /// A key as the help writes it: `q`, `?`, `Up`, `Shift-Tab`, `Space`.
    public static func parseKey(_ text: String) -> Key? {
        if let k = named[text] { return k }
        return text.count == 1 ? .character(text.first!) : nil
    }

}
