import WatchbillIncidents
import WatchbillRules

/// What was typed into an incident or alert prompt and not yet saved, as text for a file:
/// an SSH session that drops mid-sentence loses nothing, the next start puts it back.
///
///     form incident-note 7
///     field note restarted the db, \n next: failover
///
/// One `form` line (kind, incident, moment), then a `field` line per field with `\\`, `\n`
/// and `\t` escaped. Silence and acknowledge drafts keep the alert's labels as matchers text.
public enum FormDraft {
    public static func encode(_ form: AlertForm) -> String? {
        guard form.fields.contains(where: { !$0.text.trimmingWhitespace.isEmpty }) else { return nil }
        let head: String
        switch form.kind {
        case .incidentNote(let id): head = "incident-note \(id)"
        case .incidentMoment(let id, let kind): head = "incident-moment \(id) \(kind.rawValue)"
        case .incidentField(let id): head = "incident-field \(id)"
        case .incidentAction(let id): head = "incident-action \(id)"
        case .incidentNew: head = "incident-new"
        case .silence: head = "silence"
        case .acknowledge(let labels): head = "acknowledge " + escape(Silence.matchersText(for: labels))
        default: return nil
        }
        return (["form " + head] + form.fields.map { "field \($0.name) \(escape($0.text))" }).joined(separator: "\n") + "\n"
    }

    public static func decode(_ text: String) -> AlertForm? {
        let lines = text.split(separator: "\n").map(String.init)
        guard let head = lines.first, head.hasPrefix("form ") else { return nil }
        let parts = head.dropFirst(5).split(separator: " ", maxSplits: 1).map(String.init)
        let rest = parts.count > 1 ? parts[1] : ""
        let kind: AlertForm.Kind
        switch parts.first {
        case "incident-note": guard let id = Int64(rest) else { return nil }; kind = .incidentNote(id)
        case "incident-moment":
            let r = rest.split(separator: " ").map(String.init)
            guard r.count == 2, let id = Int64(r[0]), let k = IncidentEvent.Kind(rawValue: r[1]) else { return nil }
            kind = .incidentMoment(id, k)
        case "incident-field": guard let id = Int64(rest) else { return nil }; kind = .incidentField(id)
        case "incident-action": guard let id = Int64(rest) else { return nil }; kind = .incidentAction(id)
        case "incident-new": kind = .incidentNew(alert: nil, detectedAt: nil, alertedAt: nil)
        case "silence": kind = .silence
        case "acknowledge":
            guard let matchers = try? Silence.parseMatchers(unescape(rest)) else { return nil }
            kind = .acknowledge(Labels(Dictionary(matchers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })))
        default: return nil
        }
        var fields: [AlertForm.Field] = []
        for line in lines.dropFirst() where line.hasPrefix("field ") {
            let f = line.dropFirst(6).split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let name = f.first else { continue }
            fields.append(AlertForm.Field(name: name, text: unescape(f.count > 1 ? f[1] : ""), hint: "restored from your last session"))
        }
        guard !fields.isEmpty else { return nil }
        let focused = fields.lastIndex { !$0.text.isEmpty } ?? 0
        return AlertForm(kind: kind, fields: fields, focused: focused)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(c)
            }
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                out.append(c == "n" ? "\n" : c == "t" ? "\t" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
