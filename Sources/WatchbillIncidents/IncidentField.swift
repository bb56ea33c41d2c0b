/// What a `fieldSet` event may set (its `field`). The appending ones add to a list; the
/// others replace, and an empty value clears.
public enum IncidentField: String, Sendable, CaseIterable {
    case title, owner
    case usersAffected = "users_affected"
    case usersPercent = "users_percent"
    /// Comma separated.
    case services
    case rootCause = "root_cause"
    case permanentFix = "permanent_fix"
    case prevention
    case mitigation
    case runbook

    public var appends: Bool { self == .mitigation || self == .runbook }

    /// A mitigation action is something done at a moment, so it stays on the timeline;
    /// the rest describe the incident and would only clutter it.
    var isPlain: Bool { self != .mitigation }
}

extension IncidentStage {
    /// Automatic moves only go forward: a stage someone set by hand is not undone by a
    /// moment recorded late.
    func atLeast(_ other: IncidentStage) -> IncidentStage {
        let all = IncidentStage.allCases
        return all.firstIndex(of: self)! >= all.firstIndex(of: other)! ? self : other
    }
}
