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
    /// Every such series' newest point in `(end - lookback, end]`, staleness markers
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
            r.points.last { $0.t > end - lookback && $0.t <= end }.map { (r.labels, $0) }
        }
    }
}

public enum Value: Sendable, Equatable {
    case scalar(Double)
    case vector([Sample])
    case matrix([RangeSeries])
    case string(String)
}

/// Evaluates an expression at one instant, the way Prometheus 2.x does for the subset:
/// instant selectors look back five minutes for the newest point, range selectors include
/// their start, `rate` and `increase` extrapolate,
/// arithmetic and `bool` comparisons drop the metric name, vectors match on all labels.
public struct Evaluator {
    public var source: SeriesSource
    public var lookback: Double = 300

    public init(source: SeriesSource, lookback: Double = 300) {
        self.source = source
        self.lookback = lookback
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
            let end = t - s.offset
            if let range = s.range {
                let series = source.series(matching: s.allMatchers, in: (end - range)...end)
                // Sources give [start, end], start included, as Prometheus 2.x (Debian 12's
                // promtool) selects; Prometheus 3 leaves the start out. Staleness markers
                // are dropped, copying only a series that has one.
                return .matrix(series.compactMap { r in
                    guard r.points.contains(where: { SeriesNotation.isStale($0.v) }) else { return r.points.isEmpty ? nil : r }
                    let points = r.points.filter { !SeriesNotation.isStale($0.v) }
                    return points.isEmpty ? nil : RangeSeries(labels: r.labels, points: points)
                })
            }
            // A staleness marker ends the series: nothing until its next real value.
            return .vector(source.latest(matching: s.allMatchers, at: end, lookback: lookback).compactMap { l in
                SeriesNotation.isStale(l.point.v) ? nil : Sample(labels: l.labels, value: l.point.v)
            })
        case .function(let name, let args, let at):
            return try Functions.call(name, args: args, at: at, time: t, evaluator: self)
        case .aggregate(let op, let grouping, let inner, _):
            guard case .vector(let samples) = try evaluate(inner, at: t) else {
                throw fail("\(op.rawValue) needs an instant vector")
            }
            return .vector(Aggregation.apply(op, grouping: grouping, to: samples))
        case .binary(let op, let l, let r, let returnBool):
            return try Binary.apply(op, try evaluate(l, at: t), try evaluate(r, at: t), returnBool: returnBool)
        }
    }

    func fail(_ cause: String, at: SourcePosition = SourcePosition(line: 1, column: 1)) -> ExprError {
        ExprError(at: at, cause: cause)
    }
}

enum Aggregation {
    static func apply(_ op: AggregateOp, grouping: Grouping, to samples: [Sample]) -> [Sample] {
        var groups: [Labels: [Double]] = [:]
        var order: [Labels] = []
        for s in samples {
            let key: Labels
            switch grouping {
            case .none: key = Labels()
            case .by(let names): key = s.labels.keeping(Set(names))
            case .without(let names): key = s.labels.dropping(Set(names).union(["__name__"]))
            }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(s.value)
        }
        return order.map { key in
            let v = groups[key]!
            let value: Double
            switch op {
            case .sum: value = v.reduce(0, +)
            case .avg: value = v.reduce(0, +) / Double(v.count)
            case .min: value = v.filter { !$0.isNaN }.min() ?? .nan
            case .max: value = v.filter { !$0.isNaN }.max() ?? .nan
            case .count: value = Double(v.count)
            }
            return Sample(labels: key, value: value)
        }
    }
}

enum Binary {
    static func apply(_ op: BinaryOp, _ l: Value, _ r: Value, returnBool: Bool) throws -> Value {
        let bad = ExprError(at: SourcePosition(line: 1, column: 1), cause: "'\(op.rawValue)' cannot combine these operands")
        switch (l, r) {
        case (.scalar(let a), .scalar(let b)):
            if op.isComparison && !returnBool { throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "comparisons between numbers need 'bool'") }
            return .scalar(compute(op, a, b, returnBool: true) ?? 0)
        case (.vector(let vs), .scalar(let b)):
            return .vector(vs.compactMap { s in
                guard let v = compute(op, s.value, b, returnBool: returnBool) else { return nil }
                return Sample(labels: dropsName(op, returnBool) ? s.labels.withoutName : s.labels, value: op.isComparison && !returnBool ? s.value : v)
            })
        case (.scalar(let a), .vector(let vs)):
            return .vector(vs.compactMap { s in
                guard let v = compute(op, a, s.value, returnBool: returnBool) else { return nil }
                return Sample(labels: dropsName(op, returnBool) ? s.labels.withoutName : s.labels, value: op.isComparison && !returnBool ? s.value : v)
            })
        case (.vector(let ls), .vector(let rs)):
            if op.isSet { return .vector(setOperation(op, ls, rs)) }
            var right: [Labels: Sample] = [:]
            for s in rs {
                let key = s.labels.withoutName
                if right[key] != nil {
                    throw ExprError(at: SourcePosition(line: 1, column: 1),
                                    cause: "many-to-many matching: the right side has two series for \(key)")
                }
                right[key] = s
            }
            var out: [Sample] = []
            for s in ls {
                guard let match = right[s.labels.withoutName], let v = compute(op, s.value, match.value, returnBool: returnBool) else { continue }
                out.append(Sample(labels: dropsName(op, returnBool) ? s.labels.withoutName : s.labels,
                                  value: op.isComparison && !returnBool ? s.value : v))
            }
            return .vector(out)
        default:
            throw bad
        }
    }

    static func dropsName(_ op: BinaryOp, _ returnBool: Bool) -> Bool { !op.isComparison || returnBool }

    /// The result, or nil when a comparison without `bool` filters the sample out.
    static func compute(_ op: BinaryOp, _ a: Double, _ b: Double, returnBool: Bool) -> Double? {
        func cmp(_ ok: Bool) -> Double? { returnBool ? (ok ? 1 : 0) : (ok ? a : nil) }
        switch op {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .mod: return a.truncatingRemainder(dividingBy: b)
        case .pow: return Glibc.pow(a, b)
        case .eq: return cmp(a == b)
        case .ne: return cmp(a != b)
        case .gt: return cmp(a > b)
        case .lt: return cmp(a < b)
        case .ge: return cmp(a >= b)
        case .le: return cmp(a <= b)
        case .and, .or, .unless: return nil
        }
    }

    static func setOperation(_ op: BinaryOp, _ ls: [Sample], _ rs: [Sample]) -> [Sample] {
        let right = Set(rs.map { $0.labels.withoutName })
        switch op {
        case .and: return ls.filter { right.contains($0.labels.withoutName) }
        case .unless: return ls.filter { !right.contains($0.labels.withoutName) }
        default:
            let left = Set(ls.map { $0.labels.withoutName })
            return ls + rs.filter { !left.contains($0.labels.withoutName) }
        }
    }
}
