/// One alert's firing over a period, from the history: how often, when, for how long, and
/// who silenced or acknowledged it. What a shift report says of an alert.
public struct AlertFirings: Sendable, Equatable {
    public struct Episode: Sendable, Equatable {
        public var firedAt: Double
        /// nil while it still fires (as far as the history knows).
        public var endedAt: Double?

        public init(firedAt: Double, endedAt: Double?) {
            self.firedAt = firedAt
            self.endedAt = endedAt
        }
    }

    public var labels: Labels
    /// Every firing that overlaps the period, oldest first.
    public var episodes: [Episode]
    /// Silences that muted it while it fired in the period, as last written (expiries applied).
    public var silences: [Silence]
    /// Acknowledgements of it made in the period, oldest first.
    public var acknowledgements: [Acknowledgement]

    public var name: String { labels["alertname"] ?? "?" }
    public var stillFiring: Bool { episodes.last?.endedAt == nil }

    /// Seconds it fired within `from...to`.
    public func firingSeconds(from: Double, to: Double) -> Double {
        episodes.reduce(0) { $0 + max(0, min($1.endedAt ?? to, to) - max($1.firedAt, from)) }
    }

    /// Every alert that fired in `from...to` (a firing that began earlier and still went on
    /// counts), ordered by its first firing. `actions` adds silences the history does not
    /// hold (made before it began).
    public static func during(_ history: [AlertHistoryEntry], from: Double, to: Double,
                              actions: AlertActions = AlertActions()) -> [AlertFirings] {
        var episodes: [Labels: [Episode]] = [:]
        var order: [Labels] = []
        var silences: [String: Silence] = Dictionary(actions.silences.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var acks: [Labels: [Acknowledgement]] = [:]
        for entry in history {
            switch entry {
            case .transition(let t):
                if t.to == .firing && t.from != .firing {
                    if episodes[t.labels] == nil { order.append(t.labels) }
                    // A firing with no end written (the dashboard was killed) ends where the next begins.
                    if let last = episodes[t.labels]?.last, last.endedAt == nil {
                        episodes[t.labels]![episodes[t.labels]!.count - 1].endedAt = t.at
                    }
                    episodes[t.labels, default: []].append(Episode(firedAt: t.at, endedAt: nil))
                } else if t.from == .firing && t.to != .firing,
                          let last = episodes[t.labels]?.last, last.endedAt == nil {
                    episodes[t.labels]![episodes[t.labels]!.count - 1].endedAt = t.at
                }
            case .action(.silence(let s)):
                silences[s.id] = s
            case .action(.expire(let id, let at)):
                if var s = silences[id] {
                    s.endsAt = min(s.endsAt, at)
                    silences[id] = s
                }
            case .action(.acknowledge(let a)):
                if a.at >= from && a.at <= to { acks[a.labels, default: []].append(a) }
            case .action(.mirror):
                break
            }
        }
        let allSilences = silences.values.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }
        return order.compactMap { labels -> AlertFirings? in
            let inPeriod = (episodes[labels] ?? []).filter { $0.firedAt <= to && ($0.endedAt ?? .infinity) >= from }
            guard !inPeriod.isEmpty else { return nil }
            let muting = allSilences.filter { s in
                !s.matchers.isEmpty && s.matchers.allSatisfy { $0.matches(labels) }
                    && inPeriod.contains { e in s.startsAt < min(e.endedAt ?? to, to) && s.endsAt > max(e.firedAt, from) }
            }
            return AlertFirings(labels: labels, episodes: inPeriod, silences: muting,
                                acknowledgements: (acks[labels] ?? []).sorted { $0.at < $1.at })
        }
    }
}
