/// A silence as Alertmanager keeps one: matchers, a time span, who and why. An alert whose
/// labels every matcher accepts is muted while the silence is active: it still shows (under
/// the "suppressed" toggle) but raises no banner, bell or webhook.
public struct Silence: Sendable, Equatable {
    public enum State: String, Sendable { case pending, active, expired }

    public var id: String
    public var matchers: [LabelMatcher]
    public var startsAt: Double
    public var endsAt: Double
    public var createdBy: String
    public var comment: String

    public init(id: String, matchers: [LabelMatcher], startsAt: Double, endsAt: Double, createdBy: String,
                comment: String) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
    }

    public func state(at t: Double) -> State {
        t < startsAt ? .pending : t < endsAt ? .active : .expired
    }

    public func mutes(_ labels: Labels, at t: Double) -> Bool {
        state(at: t) == .active && !matchers.isEmpty && matchers.allSatisfy { $0.matches(labels) }
    }

    /// `alertname="DiskFull", mountpoint=~"/var.*"`: what the silence form shows and edits.
    public var matchersText: String { Silence.text(of: matchers) }

    public static func text(of matchers: [LabelMatcher]) -> String {
        matchers.map { "\($0.name)\($0.kind.rawValue)\"\(AlertStateFile.escape($0.value))\"" }.joined(separator: ", ")
    }

    /// Matchers for an alert's labels, all `=`: the form's starting point, which the user
    /// narrows or widens.
    public static func matchers(for labels: Labels) -> [LabelMatcher] {
        labels.pairs.compactMap { try? LabelMatcher($0.name, .equal, $0.value) }
    }

    /// Every label of an alert as an `=` matcher, as text.
    public static func matchersText(for labels: Labels) -> String { text(of: matchers(for: labels)) }

    /// Parses what the user typed, in PromQL selector syntax without the braces. At least
    /// one matcher must not match the empty string, as Alertmanager requires: a silence of
    /// everything is a mistake, not a wish.
    public static func parseMatchers(_ text: String) throws -> [LabelMatcher] {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "no matchers") }
        let expr: Expr
        do {
            expr = try Parser.parse("{" + trimmed + "}")
        } catch let e as ExprError {
            // Positions count the brace we added.
            throw ExprError(at: SourcePosition(line: e.at.line, column: max(1, e.at.column - 1)), cause: e.cause)
        }
        guard case .selector(let s) = expr, s.name == nil, s.range == nil, s.offset == 0 else {
            throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "expected matchers like name=\"value\"")
        }
        guard s.matchers.contains(where: { !$0.matches(Labels()) }) else {
            throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "every matcher accepts an empty label: it would mute everything")
        }
        return s.matchers
    }
}

/// Someone has seen an alert and is on it: the marker stays until the alert resolves, so a
/// second responder does not start on the same thing.
public struct Acknowledgement: Sendable, Equatable {
    public var labels: Labels
    public var by: String
    public var comment: String
    public var at: Double

    public init(labels: Labels, by: String, comment: String, at: Double) {
        self.labels = labels
        self.by = by
        self.comment = comment
        self.at = at
    }
}

extension String {
    /// Without leading and trailing whitespace (Foundation-free).
    public var trimmingWhitespace: String {
        let chars = Array(self)
        guard let first = chars.firstIndex(where: { !$0.isWhitespace }),
              let last = chars.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(chars[first...last])
    }
}
