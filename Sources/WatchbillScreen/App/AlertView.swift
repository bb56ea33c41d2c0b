import WatchbillIncidents
import WatchbillRules

/// The Alerts pane's own state: selection, the views it opens, and the form being filled.
public struct AlertViewState: Sendable, Equatable {
    public var selected = 0
    /// Silenced alerts are listed too (they are hidden by default).
    public var showSuppressed = false
    /// The selected alert full screen: expression, value graph, labels, annotations, times.
    public var detail = false
    /// Which alert the detail shows: the list may reorder under it as alerts come and go.
    public var detailLabels: Labels?
    public var silencesList = false
    public var silenceSelected = 0
    /// A silence waiting for `y` before it is expired.
    public var confirmExpire: String?
    public var form: AlertForm?
    /// A form handed to the caller to save; it comes back with an error if saving failed,
    /// so nothing typed is lost.
    public var submitted: AlertForm?
    public var runbook: RunbookPage?
    public init() {}
}

/// The acknowledge and silence prompts: a few one-line fields, Tab between them, Enter to
/// save, Esc to drop.
public struct AlertForm: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case acknowledge(Labels)
        case silence
        // Incident prompts: the incident's number and what the text becomes.
        case incidentNote(Int64)
        /// Root cause identified, fix deployed: a moment with its text.
        case incidentMoment(Int64, IncidentEvent.Kind)
        case incidentField(Int64)
        case incidentAction(Int64)
        case incidentTick(Int64)
        case incidentSeverity(Int64)
        case incidentStatus(Int64)
        /// A new incident, from an alert when `alert` is set (its times and link).
        case incidentNew(alert: LinkedAlertRequest?, detectedAt: Double?, alertedAt: Double?)
    }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var text: String {
            didSet { cursor = min(cursor, text.count) }
        }
        public var hint: String
        /// Where typing goes, in characters from the start; a new field starts at its end.
        public var cursor: Int
        /// A field whose values are fixed (status, severity) is chosen, not typed: arrows or
        /// Space move through these, a letter jumps to the value it starts.
        public var choices: [String] = []

        public init(name: String, text: String, hint: String) {
            self.name = name
            self.text = text
            self.hint = hint
            cursor = text.count
        }

        public static func choice(_ name: String, _ choices: [String], chosen: String, hint: String) -> Field {
            var f = Field(name: name, text: choices.first { $0.lowercased() == chosen.lowercased() } ?? choices.first ?? "", hint: hint)
            f.choices = choices
            return f
        }

        /// Keys of a choice field; true when the key was taken.
        mutating func choose(_ key: Key) -> Bool {
            let at = choices.firstIndex(of: text) ?? 0
            switch key {
            case .left, .up: text = choices[(at + choices.count - 1) % choices.count]
            case .right, .down, .character(" "): text = choices[(at + 1) % choices.count]
            case .home: text = choices[0]
            case .end: text = choices[choices.count - 1]
            case .character(let c):
                // Typed from memory (`r`, `p1`): the next value that starts with what was typed.
                let typed = String(c).lowercased()
                let order = choices[(at + 1)...] + choices[...at]
                guard let next = order.first(where: { $0.lowercased().hasPrefix(typed) || $0.lowercased().dropFirst().hasPrefix(typed) })
                else { return true }
                text = next
            case .backspace, .delete: break
            default: return false
            }
            cursor = text.count
            return true
        }

        /// The usual line-editing keys: arrows, Home/End (Ctrl-A/Ctrl-E), Backspace,
        /// Delete, Ctrl-U and Ctrl-K (to the start, to the end), Ctrl-W (the word before).
        /// false for a key that is not editing.
        public mutating func edit(_ key: Key) -> Bool {
            if !choices.isEmpty { return choose(key) }
            var chars = Array(text)
            var at = min(cursor, chars.count)
            switch key {
            case .left: at = max(0, at - 1)
            case .right: at = min(chars.count, at + 1)
            case .home, .character("\u{01}"): at = 0
            case .end, .character("\u{05}"): at = chars.count
            case .backspace:
                guard at > 0 else { return true }
                chars.remove(at: at - 1)
                at -= 1
            case .delete, .character("\u{04}"):
                guard at < chars.count else { return true }
                chars.remove(at: at)
            case .character("\u{15}"):
                chars.removeSubrange(0..<at)
                at = 0
            case .character("\u{0B}"):
                chars.removeSubrange(at...)
            case .character("\u{17}"):
                var start = at
                while start > 0 && chars[start - 1] == " " { start -= 1 }
                while start > 0 && chars[start - 1] != " " { start -= 1 }
                chars.removeSubrange(start..<at)
                at = start
            case .character(let c):
                // Other control characters are keys, not text.
                guard !(c.asciiValue.map { $0 < 32 || $0 == 127 } ?? false) else { return true }
                chars.insert(c, at: at)
                at += 1
            default:
                return false
            }
            text = String(chars)
            cursor = at
            return true
        }
    }

    public var kind: Kind
    public var fields: [Field]
    public var focused: Int
    public var error: String?

    public static func acknowledge(_ alert: AlertItem) -> AlertForm {
        AlertForm(kind: .acknowledge(alert.labels),
                  fields: [Field(name: "comment", text: "", hint: "what you are doing about it (required)")],
                  focused: 0)
    }

    /// Pre-filled from the alert's labels and a 1h duration; the comment is the user's.
    public static func silence(_ alert: AlertItem) -> AlertForm {
        AlertForm(kind: .silence, fields: [
            Field(name: "matchers", text: Silence.matchersText(for: alert.labels.dropping(["severity"])),
                  hint: "name=\"value\", name=~\"regex\", name!=\"value\""),
            Field(name: "duration", text: "1h", hint: "30m, 1h, 4h, 1d"),
            Field(name: "comment", text: "", hint: "why (required)"),
        ], focused: 2)
    }

    public var title: String {
        switch kind {
        case .acknowledge: return "Acknowledge"
        case .silence: return "Silence"
        case .incidentNote(let id): return "Note on incident \(id)"
        case .incidentMoment(let id, let kind):
            return (kind == .rootCauseIdentified ? "Root cause identified" : "Fix deployed") + ", incident \(id)"
        case .incidentField(let id): return "Edit incident \(id)"
        case .incidentAction(let id): return "Action item for incident \(id)"
        case .incidentTick(let id): return "Tick an action item of incident \(id)"
        case .incidentSeverity(let id): return "Severity of incident \(id)"
        case .incidentStatus(let id): return "Status of incident \(id)"
        case .incidentNew: return "New incident"
        }
    }

    static func field(_ name: String, _ text: String = "", _ hint: String) -> Field {
        Field(name: name, text: text, hint: hint)
    }

    /// A one-field prompt.
    public static func prompt(_ kind: Kind, _ name: String, text: String = "", hint: String) -> AlertForm {
        AlertForm(kind: kind, fields: [field(name, text, hint)], focused: 0)
    }

    public func field(_ name: String) -> String { fields.first { $0.name == name }?.text ?? "" }

    /// Status, severity and ticks change the incident for good: they ask once more.
    var asksFirst: Bool {
        switch kind {
        case .incidentStatus, .incidentSeverity, .incidentTick: return true
        default: return false
        }
    }

    func question(_ request: IncidentRequest) -> String {
        guard case .append(let e) = request else { return "sure?" }
        switch e.kind {
        case .resolved: return "resolve incident \(e.incident)?"
        case .statusChanged: return "set incident \(e.incident) to \(e.field)?"
        case .severityChanged: return "make incident \(e.incident) \(e.field)?"
        case .actionDone: return "mark action item \(field("item")) done?"
        default: return "\(e.kind.rawValue) on incident \(e.incident)?"
        }
    }

    /// The silence's matchers as typed, or why they do not parse.
    public var matchers: Result<[LabelMatcher], ExprError> {
        do {
            return .success(try Silence.parseMatchers(field("matchers")))
        } catch let e as ExprError {
            return .failure(e)
        } catch {
            return .failure(ExprError(at: SourcePosition(line: 1, column: 1), cause: "\(error)"))
        }
    }

    /// A silence longer than a year is a mistake (or a rule to delete).
    public static let longestSilence = 365.0 * 86_400

    /// `90s`, `30m`, `1h30m`, `2d`: seconds, or nil.
    public static func duration(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        var total = 0.0, digits = ""
        for c in text where c != " " {
            if c.isNumber || c == "." {
                digits.append(c)
            } else if let unit = units[c], let n = Double(digits) {
                total += n * unit
                digits = ""
            } else {
                return nil
            }
        }
        return digits.isEmpty && total > 0 ? total : nil
    }
}

/// A runbook in the in-app pager: Markdown lines, or the address of one on the web.
public struct RunbookPage: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    /// An http(s) runbook: shown to copy, since a terminal over SSH cannot open a browser.
    public var url: String?
    public var scroll = 0

    public init(title: String, lines: [String], url: String? = nil) {
        self.title = title
        self.lines = lines
        self.url = url
    }
}
