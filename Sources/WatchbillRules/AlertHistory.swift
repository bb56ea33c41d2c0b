/// What happened to alerts over days: every change of state, and every silence, expiry and
/// acknowledgement as it was made. The state file holds only the present and the actions
/// journal forgets an acknowledgement when its alert ends; a shift report needs the past.
public enum AlertHistoryEntry: Sendable, Equatable {
    case transition(AlertTransition)
    case action(AlertAction)

    public var at: Double? {
        switch self {
        case .transition(let t): return t.at
        case .action(.silence(let s)): return s.startsAt
        case .action(.expire(_, let at)): return at
        case .action(.acknowledge(let a)): return a.at
        case .action(.mirror): return nil
        }
    }
}

/// The history's text form, one entry a line: an alert's change as
/// `alert at="…",from="pending",to="firing",labels="…"` (an empty phase is inactive), an
/// action as the actions journal writes it. Appended, never rewritten but to drop old lines.
public enum AlertHistoryJournal {
    public static func encode(_ entry: AlertHistoryEntry) -> String {
        switch entry {
        case .action(let action):
            return AlertActionJournal.encode(action)
        case .transition(let t):
            let labels = t.labels.pairs.map { "\($0.name)=\"\(AlertStateFile.escape($0.value))\"" }.joined(separator: ",")
            let fields = [("at", "\(t.at)"), ("from", t.from?.rawValue ?? ""), ("to", t.to?.rawValue ?? ""), ("labels", labels)]
            return "alert " + fields.map { "\($0.0)=\"\(AlertStateFile.escape($0.1))\"" }.joined(separator: ",")
        }
    }

    /// Every line that parses, and by number why the others do not (a torn last write).
    public static func decode(_ text: String) -> (entries: [AlertHistoryEntry], problems: [(line: Int, cause: String)]) {
        AlertActionJournal.decodeLines(text, decodeLine)
    }

    static func decodeLine(_ line: Substring) throws(AlertActionJournal.LineError) -> AlertHistoryEntry {
        guard line.hasPrefix("alert ") else { return .action(try AlertActionJournal.decodeLine(line)) }
        guard let f = AlertStateFile.parseLabels(line.dropFirst(6)) else {
            throw AlertActionJournal.LineError(cause: "fields do not parse (a torn write?)")
        }
        guard let atText = f["at"], let at = Double(atText), at.isFinite else {
            throw AlertActionJournal.LineError(cause: "alert: bad or missing at")
        }
        guard let labelText = f["labels"], let labels = AlertStateFile.parseLabels(Substring(labelText)) else {
            throw AlertActionJournal.LineError(cause: "alert: bad labels")
        }
        func phase(_ name: String) throws(AlertActionJournal.LineError) -> AlertPhase? {
            let text = f[name] ?? ""
            if text.isEmpty { return nil }
            guard let p = AlertPhase(rawValue: text) else { throw AlertActionJournal.LineError(cause: "alert: bad \(name) '\(text)'") }
            return p
        }
        return .transition(AlertTransition(labels: labels, from: try phase("from"), to: try phase("to"), at: at))
    }
}
