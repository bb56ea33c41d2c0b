/// What an alert's detail graphs: the value its rule compares, over time, and the line it
/// is compared against. `disk_used > 0.9` is drawn as `disk_used` with a line at 0.9, not as
/// the filtered result, which is empty whenever all is well.
public struct AlertGraph: Sendable, Equatable {
    /// Oldest first, one per step; nil where the expression had no value for the alert.
    public var values: [Double?]
    public var threshold: Double?
    public var step: Double

    public init(values: [Double?], threshold: Double?, step: Double) {
        self.values = values
        self.threshold = threshold
        self.step = step
    }

    /// Evaluates the rule's expression (or the compared side of it) at `points` steps
    /// ending at `t`, keeping the series whose labels the alert's identity contains.
    public static func compute(rule: AlertRule, alert: Labels, source: SeriesSource, at t: Double,
                               span: Double = 1800, points: Int = 120) -> AlertGraph {
        let (graphed, threshold) = split(rule.expr)
        let step = span / Double(max(1, points))
        let evaluator = Evaluator(source: source)
        // The alert's labels include the rule's own (severity, ...), which the series lack.
        let identity = alert.dropping(Set(rule.labels.keys).union(["alertname"]))
        var values: [Double?] = []
        values.reserveCapacity(points)
        for i in 0..<points {
            let at = t - Double(points - 1 - i) * step
            guard let result = try? evaluator.evaluate(graphed, at: at) else {
                values.append(nil)
                continue
            }
            switch result {
            case .vector(let samples):
                let sample = samples.first { s in
                    let l = s.labels.withoutName
                    return identity.pairs.allSatisfy { l[$0.name] == $0.value }
                }
                values.append(sample?.value)
            case .scalar(let v):
                values.append(v.isNaN ? nil : v)
            default:
                values.append(nil)
            }
        }
        return AlertGraph(values: values, threshold: threshold, step: step)
    }

    /// `lhs > constant` (any comparison, not `bool`) splits into `lhs` and the constant;
    /// `a and b` graphs `a`. Anything else is graphed as it is.
    static func split(_ e: Expr) -> (Expr, Double?) {
        switch e {
        case .paren(let inner):
            return split(inner)
        case .binary(let op, let lhs, let rhs, let returnBool, _) where op.isComparison && !returnBool:
            if let c = constant(rhs) { return (lhs, c) }
            if let c = constant(lhs) { return (rhs, c) }
            return (e, nil)
        case .binary(.and, let lhs, _, _, _), .binary(.unless, let lhs, _, _, _):
            return split(lhs)
        default:
            return (e, nil)
        }
    }

    /// The value of an expression made only of numbers.
    static func constant(_ e: Expr) -> Double? {
        switch e {
        case .number(let v): return v
        case .paren(let inner): return constant(inner)
        case .unaryMinus(let inner): return constant(inner).map { -$0 }
        case .binary(let op, let lhs, let rhs, _, _):
            guard let a = constant(lhs), let b = constant(rhs) else { return nil }
            switch op {
            case .add: return a + b
            case .sub: return a - b
            case .mul: return a * b
            case .div: return a / b
            default: return nil
            }
        default:
            return nil
        }
    }
}
