#if canImport(Glibc)
import Glibc
#endif

/// A series with its points in a time range, oldest first.
public struct RangeSeries: Sendable, Equatable {
    public var labels: Labels
    public var points: [Point]

    public struct Point: Sendable, Equatable {
        public var t: Double
        public var v: Double
        public init(_ t: Double, _ v: Double) {
            self.t = t
            self.v = v
        }
    }

    public init(labels: Labels, points: [Point]) {
        self.labels = labels
        self.points = points
    }
}

/// One series' value at the evaluation time.
public struct Sample: Sendable, Equatable {
    public var labels: Labels
    public var value: Double
    public init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// Where selectors read from: the ring buffers, a recording, or a test's series.
public protocol SeriesSource {
    /// Every series whose labels satisfy all matchers, with its points in `[start, end]`.
    func series(matching: [LabelMatcher], in range: ClosedRange<Double>) -> [RangeSeries]
    /// Every such series' newest point in `[end - lookback, end]`, staleness markers
    /// included: what an instant selector reads.
    func latest(matching: [LabelMatcher], at end: Double, lookback: Double) -> [(labels: Labels, point: RangeSeries.Point)]
    /// Since when the source has been collecting; nil for a source with no start (a rule
    /// test's series, Prometheus).
    var coveredSince: Double? { get }
}

extension SeriesSource {
    public var coveredSince: Double? { nil }

    public func latest(matching m: [LabelMatcher], at end: Double, lookback: Double) -> [(labels: Labels, point: RangeSeries.Point)] {
        series(matching: m, in: (end - lookback)...end).compactMap { r in
            r.points.last { $0.t >= end - lookback && $0.t <= end }.map { (r.labels, $0) }
        }
    }
}

public enum Value: Sendable, Equatable {
    case scalar(Double)
    case vector([Sample])
    case matrix([RangeSeries])
    case string(String)
}

/// Evaluates an expression at one instant, the way Prometheus 2.42 does: instant selectors
/// look back five minutes for the newest point, range selectors include their start,
/// `offset` and `@` move where a selector or subquery reads, subqueries step on multiples
/// of their step, vectors match on all labels or as `on`/`ignoring` and `group_*` say.
public struct Evaluator {
    public var source: SeriesSource
    public var lookback: Double = 300
    /// A subquery's step when it names none: the rule group's evaluation interval.
    public var defaultStep: Double = 60
    /// Evaluations the enclosing subqueries already multiply this one by: nested subqueries
    /// are bounded as a whole (`[1d:1s]` inside `[1d:1s]` would be 7.5 billion).
    var enclosingSteps: Int64 = 1
    static let maxSubquerySteps: Int64 = 1_000_000

    public init(source: SeriesSource, lookback: Double = 300, defaultStep: Double = 60) {
        self.source = source
        self.lookback = lookback
        self.defaultStep = defaultStep
    }

    public func evaluate(_ e: Expr, at t: Double) throws -> Value {
        switch e {
        case .number(let n): return .scalar(n)
        case .string(let s): return .string(s)
        case .paren(let inner): return try evaluate(inner, at: t)
        case .unaryMinus(let inner):
            switch try evaluate(inner, at: t) {
            case .scalar(let v): return .scalar(-v)
            case .vector(let samples): return .vector(samples.map { Sample(labels: $0.labels.withoutName, value: -$0.value) })
            default: throw fail("unary minus needs a number or an instant vector")
            }
        case .selector(let s):
            let end = Self.readTime(s.at, s.offset, t)
            if let range = s.range {
                return .matrix(rangeRead(s, from: end - range, to: end))
            }
            // A staleness marker ends the series: nothing until its next real value.
            return .vector(source.latest(matching: s.allMatchers, at: end, lookback: lookback).compactMap { l in
                SeriesNotation.isStale(l.point.v) ? nil : Sample(labels: l.labels, value: l.point.v)
            })
        case .subquery(let inner, let range, let step, let offset, let at):
            let end = Self.readTime(at, offset, t)
            return .matrix(try subquery(inner, from: end - range, to: end, step: step ?? defaultStep))
        case .function(let name, let args, let at):
            return try PromQLFunctions.call(name, args: args, at: at, time: t, evaluator: self)
        case .aggregate(let op, let grouping, let inner, let param):
            guard case .vector(let samples) = try evaluate(inner, at: t) else { throw fail("\(op.rawValue) needs an instant vector") }
            let parameter = try param.map { try evaluate($0, at: t) }
            return .vector(try Aggregation.apply(op, grouping: grouping, parameter: parameter, to: samples))
        case .binary(let op, let l, let r, let returnBool, let matching):
            return try Binary.apply(op, try evaluate(l, at: t), try evaluate(r, at: t), returnBool: returnBool,
                                    matching: matching ?? VectorMatching(on: false, labels: []))
        }
    }

    /// Where a selector or subquery reads: its `@` time (or now), less its offset. An instant
    /// evaluation starts and ends now, so `start()` and `end()` are now.
    static func readTime(_ at: AtModifier?, _ offset: Double, _ t: Double) -> Double {
        switch at {
        case .time(let fixed)?: return fixed - offset
        case .start?, .end?, nil: return t - offset
        }
    }

    /// A range selector's points in `[start, end]` (start included, as Prometheus 2.x
    /// selects; 3.x leaves it out), staleness markers dropped.
    func rangeRead(_ s: Selector, from start: Double, to end: Double) -> [RangeSeries] {
        source.series(matching: s.allMatchers, in: start...end).compactMap { r in
            guard r.points.contains(where: { SeriesNotation.isStale($0.v) }) else { return r.points.isEmpty ? nil : r }
            let points = r.points.filter { !SeriesNotation.isStale($0.v) }
            return points.isEmpty ? nil : RangeSeries(labels: r.labels, points: points)
        }
    }

    /// The inner expression at every multiple of `step` in `[start, end]` (milliseconds, as
    /// Prometheus aligns them), its samples gathered into series.
    func subquery(_ innerExpr: Expr, from start: Double, to end: Double, step: Double) throws -> [RangeSeries] {
        // Times past what int64 milliseconds hold with room to step (a range of years at an
        // @ far off) are refused, never converted.
        func ms(_ seconds: Double) throws -> Int64 {
            let v = (seconds * 1000).rounded()
            guard abs(v) < 4e18 else { throw fail("subquery time out of range") }
            return Int64(v)
        }
        let stepMs = max(1, try ms(step))
        let startMs = try ms(start), endMs = try ms(end)
        var first = startMs - ((startMs % stepMs) + stepMs) % stepMs
        if first < startMs { first += stepMs }
        if first > endMs { return [] }
        let steps = (endMs - first) / stepMs + 1
        guard steps <= Self.maxSubquerySteps / enclosingSteps else {
            throw fail("subqueries of more than \(Self.maxSubquerySteps) evaluations in all")
        }
        var innerEvaluator = self
        innerEvaluator.enclosingSteps = enclosingSteps * steps
        var order: [Labels] = []
        var byLabels: [Labels: [RangeSeries.Point]] = [:]
        var ts = first
        while ts <= endMs {
            let when = Double(ts) / 1000
            let samples: [Sample]
            switch try innerEvaluator.evaluate(innerExpr, at: when) {
            case .vector(let v): samples = v
            case .scalar(let v): samples = [Sample(labels: Labels(), value: v)]
            default: throw fail("a subquery needs an instant vector")
            }
            for s in samples {
                if byLabels[s.labels] == nil { order.append(s.labels) }
                byLabels[s.labels, default: []].append(RangeSeries.Point(when, s.value))
            }
            ts += stepMs
        }
        return order.map { RangeSeries(labels: $0, points: byLabels[$0]!) }
    }

    func fail(_ cause: String, at: SourcePosition = SourcePosition(line: 1, column: 1)) -> ExprError {
        ExprError(at: at, cause: cause)
    }
}

enum Binary {
    static func fail(_ cause: String) -> ExprError { ExprError(at: SourcePosition(line: 1, column: 1), cause: cause) }

    static func apply(_ op: BinaryOp, _ l: Value, _ r: Value, returnBool: Bool, matching: VectorMatching) throws -> Value {
        switch (l, r) {
        case (.scalar(let a), .scalar(let b)):
            if op.isComparison && !returnBool { throw fail("comparisons between scalars must use the bool modifier") }
            return .scalar(compute(op, a, b, returnBool: true) ?? 0)
        case (.vector(let vs), .scalar(let b)):
            return .vector(vs.compactMap { s in
                guard let v = compute(op, s.value, b, returnBool: returnBool) else { return nil }
                return Sample(labels: dropsName(op, returnBool) ? s.labels.withoutName : s.labels, value: v)
            })
        case (.scalar(let a), .vector(let vs)):
            return .vector(vs.compactMap { s in
                guard let v = compute(op, a, s.value, returnBool: returnBool) else { return nil }
                // A comparison keeps the vector's own value: `5 < x` passes x's samples.
                let value = op.isComparison && !returnBool ? s.value : v
                return Sample(labels: dropsName(op, returnBool) ? s.labels.withoutName : s.labels, value: value)
            })
        case (.vector(let ls), .vector(let rs)):
            if op.isSet { return .vector(setOperation(op, ls, rs, matching)) }
            return .vector(try vectorMatch(op, ls, rs, returnBool: returnBool, matching: matching))
        default:
            throw fail("'\(op.rawValue)' cannot combine these operands")
        }
    }

    /// The labels two samples are matched on.
    static func signature(_ labels: Labels, _ matching: VectorMatching) -> Labels {
        matching.on ? labels.keeping(Set(matching.labels)) : labels.dropping(Set(matching.labels).union(["__name__"]))
    }

    /// Prometheus' `VectorBinop`: the "one" side indexed by signature (a second series there
    /// is many-to-many, refused), each sample of the other side combined with its match.
    static func vectorMatch(_ op: BinaryOp, _ ls: [Sample], _ rs: [Sample], returnBool: Bool, matching: VectorMatching) throws -> [Sample] {
        var many = ls, one = rs
        if case .oneToMany = matching.cardinality { swap(&many, &one) }
        var oneBySignature: [Labels: Sample] = [:]
        for s in one {
            let sig = signature(s.labels, matching)
            guard oneBySignature.updateValue(s, forKey: sig) == nil else {
                let side = if case .oneToMany = matching.cardinality { "left" } else { "right" }
                throw fail("found duplicate series for the match group \(sig) on the \(side) hand-side of the operation; "
                           + "many-to-many matching not allowed: matching labels must be unique on one side")
            }
        }
        var out: [Sample] = []
        var seen: Set<Labels> = []
        var matchedOnce: Set<Labels> = []
        for s in many {
            let sig = signature(s.labels, matching)
            guard let match = oneBySignature[sig] else { continue }
            var (a, b) = (s.value, match.value)
            if case .oneToMany = matching.cardinality { swap(&a, &b) }
            guard let v = compute(op, a, b, returnBool: returnBool) else { continue }
            var labels = resultLabels(s.labels, match.labels, op, matching)
            if returnBool { labels = labels.withoutName }
            if case .oneToOne = matching.cardinality {
                guard matchedOnce.insert(sig).inserted else {
                    throw fail("multiple matches for labels \(sig): many-to-one matching must be explicit (group_left/group_right)")
                }
            } else if !seen.insert(labels).inserted {
                throw fail("multiple matches for labels \(labels): grouping labels must ensure unique matches")
            }
            out.append(Sample(labels: labels, value: v))
        }
        return out
    }

    /// Prometheus' `resultMetric`: arithmetic drops the name; one-to-one keeps the `on`
    /// labels or drops the ignored ones; `group_*(include)` copies labels from the "one" side.
    static func resultLabels(_ many: Labels, _ one: Labels, _ op: BinaryOp, _ matching: VectorMatching) -> Labels {
        var labels = op.dropsMetricName ? many.withoutName : many
        switch matching.cardinality {
        case .oneToOne:
            labels = matching.on ? labels.keeping(Set(matching.labels)) : labels.dropping(Set(matching.labels))
        case .manyToOne(let include), .oneToMany(let include):
            for name in include { labels[name] = one[name] }
        }
        return labels
    }

    static func dropsName(_ op: BinaryOp, _ returnBool: Bool) -> Bool { op.dropsMetricName || returnBool }

    /// The result, or nil when a comparison without `bool` filters the sample out.
    static func compute(_ op: BinaryOp, _ a: Double, _ b: Double, returnBool: Bool) -> Double? {
        func cmp(_ ok: Bool) -> Double? { returnBool ? (ok ? 1 : 0) : (ok ? a : nil) }
        switch op {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .mod: return fmod(a, b)
        case .pow: return Glibc.pow(a, b)
        case .atan2: return Glibc.atan2(a, b)
        case .eq: return cmp(a == b)
        case .ne: return cmp(a != b)
        case .gt: return cmp(a > b)
        case .lt: return cmp(a < b)
        case .ge: return cmp(a >= b)
        case .le: return cmp(a <= b)
        case .and, .or, .unless: return nil
        }
    }

    static func setOperation(_ op: BinaryOp, _ ls: [Sample], _ rs: [Sample], _ matching: VectorMatching) -> [Sample] {
        let right = Set(rs.map { signature($0.labels, matching) })
        switch op {
        case .and: return ls.filter { right.contains(signature($0.labels, matching)) }
        case .unless: return ls.filter { !right.contains(signature($0.labels, matching)) }
        default:
            let left = Set(ls.map { signature($0.labels, matching) })
            return ls + rs.filter { !left.contains(signature($0.labels, matching)) }
        }
    }
}
