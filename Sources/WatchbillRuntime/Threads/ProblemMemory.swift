/// What a loop says in its log about a source that fails: once when it starts failing (or
/// fails for another reason), once when it answers again, never every round.
public struct ProblemMemory: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        case failing(source: String, cause: String)
        case recovered(source: String)
    }

    private var failing: [String: String] = [:]

    public init() {}

    public var failingSources: Set<String> { Set(failing.keys) }

    /// One source's outcome this round (nil: it answered).
    public mutating func note(_ source: String, problem: String?) -> Change? {
        let before = failing[source]
        switch (before, problem) {
        case (nil, nil): return nil
        case (_?, nil):
            failing[source] = nil
            return .recovered(source: source)
        case (nil, let cause?):
            failing[source] = cause
            return .failing(source: source, cause: cause)
        case (let old?, let cause?):
            failing[source] = cause
            return old == cause ? nil : .failing(source: source, cause: cause)
        }
    }

    /// Every source's outcome at once: those absent from `problems` answered.
    public mutating func update(_ problems: [String: String]) -> [Change] {
        let sources = Set(failing.keys).union(problems.keys).sorted()
        return sources.compactMap { note($0, problem: problems[$0]) }
    }
}
