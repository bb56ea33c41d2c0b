/// A recording rule: every evaluation, its expression's samples stored as a series named
/// `name` (with the rule's labels over theirs), which later rules read like any other.
public struct RecordingRule: Sendable, Equatable {
    public var name: String
    public var expr: Expr
    public var labels: [String: String]
    public var exprText: String

    public init(name: String, expr: Expr, labels: [String: String] = [:], exprText: String = "") {
        self.name = name
        self.expr = expr
        self.labels = labels
        self.exprText = exprText
    }

    /// A result as samples to store: a scalar is one series without labels, as Prometheus
    /// records it.
    static func samples(_ value: Value) throws -> [Sample] {
        switch value {
        case .vector(let v): return v
        case .scalar(let s): return [Sample(labels: Labels(), value: s)]
        default: throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "the expression is not a vector or a scalar")
        }
    }
}

/// A source with the recording rules' series beside its own.
struct RecordedOverlay: SeriesSource {
    var base: any SeriesSource
    var recorded: [Labels: [RangeSeries.Point]]

    var coveredSince: Double? { base.coveredSince }

    func latest(matching m: [LabelMatcher], at end: Double, lookback: Double) -> [(labels: Labels, point: RangeSeries.Point)] {
        var out = base.latest(matching: m, at: end, lookback: lookback)
        for (labels, points) in recorded where m.allSatisfy({ $0.matches(labels) }) {
            if let p = points.last(where: { $0.t >= end - lookback && $0.t <= end }) { out.append((labels, p)) }
        }
        return out
    }

    func series(matching m: [LabelMatcher], in range: ClosedRange<Double>) -> [RangeSeries] {
        var out = base.series(matching: m, in: range)
        for (labels, points) in recorded where m.allSatisfy({ $0.matches(labels) }) {
            let inside = points.filter { range.contains($0.t) }
            if !inside.isEmpty { out.append(RangeSeries(labels: labels, points: inside)) }
        }
        return out
    }
}
