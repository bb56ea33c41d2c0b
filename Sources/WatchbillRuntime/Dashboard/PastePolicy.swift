/// Keys that arrive in one read of the terminal were pasted, not typed, when there is more
/// than one: after a key that saved a form or asked a yes/no question, the rest must not
/// answer it or type into what comes next.
public enum PastePolicy {
    public enum Verdict: Sendable, Equatable {
        case carryOn
        /// The key asked a question: drop the question, go on with the keys.
        case dropQuestion(keysLeft: Int)
        /// The key saved something: drop the keys after it.
        case dropRest(keysLeft: Int)
    }

    /// After key `index` of `count`: whether it was waiting for an answer before and after,
    /// and whether it saved something.
    public static func verdict(index: Int, count: Int, askedBefore: Bool, asksNow: Bool, saved: Bool) -> Verdict {
        let left = count - index - 1
        guard left > 0 else { return .carryOn }
        if saved { return .dropRest(keysLeft: left) }
        if !askedBefore && asksNow { return .dropQuestion(keysLeft: left) }
        return .carryOn
    }
}
