/// What people did about alerts: silences and acknowledgements. Each action is written to
/// the journal (and synced) before it is applied, so one shown as saved survives a crash.
public enum AlertAction: Sendable, Equatable {
    case silence(Silence)
    /// Ends a silence now, as Alertmanager expires one: `endsAt` becomes `at`.
    case expire(id: String, at: Double)
    case acknowledge(Acknowledgement)
    /// The silence `id` also exists in Alertmanager as `alertmanagerID`, so expiring it here
    /// expires it there, after a restart too.
    case mirror(id: String, alertmanagerID: String)
}

public struct AlertActions: Sendable {
    /// Expired silences stay listed this long, as in Alertmanager (`--data.retention`).
    public static let expiredRetention = 120.0 * 3600

    public private(set) var silences: [Silence] = []
    public private(set) var acknowledgements: [Labels: Acknowledgement] = [:]
    /// Local silence ID to Alertmanager's.
    public private(set) var alertmanagerIDs: [String: String] = [:]

    public init(_ actions: [AlertAction] = []) {
        for a in actions { apply(a) }
    }

    public mutating func apply(_ action: AlertAction) {
        switch action {
        case .silence(let s):
            if let i = silences.firstIndex(where: { $0.id == s.id }) { silences[i] = s } else { silences.append(s) }
        case .expire(let id, let at):
            guard let i = silences.firstIndex(where: { $0.id == id }) else { return }
            silences[i].endsAt = min(silences[i].endsAt, at)
            silences[i].startsAt = min(silences[i].startsAt, silences[i].endsAt)
        case .acknowledge(let ack):
            acknowledgements[ack.labels] = ack
        case .mirror(let id, let alertmanagerID):
            alertmanagerIDs[id] = alertmanagerID
        }
    }

    /// The active silences that mute an alert with these labels.
    public func silences(muting labels: Labels, at t: Double) -> [Silence] {
        silences.filter { $0.mutes(labels, at: t) }
    }

    /// Drops silences expired longer than the retention, and acknowledgements of alerts no
    /// longer pending or firing (an ack ends with its alert; the next one is news).
    public mutating func prune(at t: Double, activeAlerts: Set<Labels>) {
        silences.removeAll { $0.endsAt + AlertActions.expiredRetention < t }
        let kept = Set(silences.map(\.id))
        alertmanagerIDs = alertmanagerIDs.filter { kept.contains($0.key) }
        acknowledgements = acknowledgements.filter { activeAlerts.contains($0.key) }
    }

    /// The shortest journal that rebuilds this state.
    public var compacted: [AlertAction] {
        silences.map(AlertAction.silence)
            + alertmanagerIDs.sorted { $0.key < $1.key }.map { AlertAction.mirror(id: $0.key, alertmanagerID: $0.value) }
            + acknowledgements.values.sorted { $0.at < $1.at }.map(AlertAction.acknowledge)
    }
}

/// The journal's text form: one action per line, `kind name="value",...`, values escaped as
/// in the alert state file. A line that does not parse (a torn last write) is reported by
/// number and skipped; the rest still loads.
public enum AlertActionJournal {
    public static func encode(_ action: AlertAction) -> String {
        func fields(_ kind: String, _ pairs: [(String, String)]) -> String {
            kind + " " + pairs.map { "\($0.0)=\"\(AlertStateFile.escape($0.1))\"" }.joined(separator: ",")
        }
        switch action {
        case .silence(let s):
            return fields("silence", [("id", s.id), ("startsAt", "\(s.startsAt)"), ("endsAt", "\(s.endsAt)"),
                                      ("createdBy", s.createdBy), ("comment", s.comment), ("matchers", s.matchersText)])
        case .expire(let id, let at):
            return fields("expire", [("id", id), ("at", "\(at)")])
        case .acknowledge(let a):
            let labels = a.labels.pairs.map { "\($0.name)=\"\(AlertStateFile.escape($0.value))\"" }.joined(separator: ",")
            return fields("ack", [("at", "\(a.at)"), ("by", a.by), ("comment", a.comment), ("labels", labels)])
        case .mirror(let id, let alertmanagerID):
            return fields("mirror", [("id", id), ("am", alertmanagerID)])
        }
    }

    public static func decode(_ text: String) -> (actions: [AlertAction], problems: [(line: Int, cause: String)]) {
        decodeLines(text, decodeLine)
    }

    /// Every line that decodes, and by number why the others do not: a journal's torn last
    /// write (or a hand edit) costs that line, never the rest.
    static func decodeLines<T>(_ text: String, _ decode: (Substring) throws(LineError) -> T)
        -> ([T], [(line: Int, cause: String)]) {
        var decoded: [T] = []
        var problems: [(Int, String)] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do {
                decoded.append(try decode(line))
            } catch {
                problems.append((i + 1, error.cause))
            }
        }
        return (decoded, problems)
    }

    struct LineError: Error { var cause: String }

    static func decodeLine(_ line: Substring) throws(LineError) -> AlertAction {
        guard let space = line.firstIndex(of: " ") else { throw LineError(cause: "no fields") }
        let kind = line[..<space]
        guard let f = AlertStateFile.parseLabels(line[line.index(after: space)...]) else {
            throw LineError(cause: "fields do not parse (a torn write?)")
        }
        func number(_ name: String) throws(LineError) -> Double {
            guard let text = f[name], let v = Double(text) else { throw LineError(cause: "\(kind): bad or missing \(name)") }
            return v
        }
        switch kind {
        case "silence":
            guard let id = f["id"] else { throw LineError(cause: "silence without id") }
            let matchers: [LabelMatcher]
            do {
                matchers = try Silence.parseMatchers(f["matchers"] ?? "")
            } catch {
                throw LineError(cause: "silence \(id): matchers: \(error)")
            }
            return .silence(Silence(id: id, matchers: matchers, startsAt: try number("startsAt"),
                                    endsAt: try number("endsAt"), createdBy: f["createdBy"] ?? "",
                                    comment: f["comment"] ?? ""))
        case "expire":
            guard let id = f["id"] else { throw LineError(cause: "expire without id") }
            return .expire(id: id, at: try number("at"))
        case "ack":
            guard let text = f["labels"], let labels = AlertStateFile.parseLabels(Substring(text)) else {
                throw LineError(cause: "ack: bad labels")
            }
            return .acknowledge(Acknowledgement(labels: labels, by: f["by"] ?? "", comment: f["comment"] ?? "",
                                                at: try number("at")))
        case "mirror":
            guard let id = f["id"], let am = f["am"] else { throw LineError(cause: "mirror without id or am") }
            return .mirror(id: id, alertmanagerID: am)
        default:
            throw LineError(cause: "unknown action '\(kind)'")
        }
    }
}
