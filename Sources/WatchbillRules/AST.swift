/// Where a piece of an expression starts, for errors: line and column from 1.
public struct SourcePosition: Sendable, Equatable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A parsed PromQL expression.
public indirect enum Expr: Sendable, Equatable {
    case number(Double)
    case string(String)
    /// `metric{matchers}`, optionally `[range]`, `offset` and `@`.
    case selector(Selector)
    case function(name: String, args: [Expr], at: SourcePosition)
    case aggregate(op: AggregateOp, grouping: Grouping, expr: Expr, param: Expr?)
    /// `matching` is nil for the default: all labels, one to one.
    case binary(op: BinaryOp, lhs: Expr, rhs: Expr, returnBool: Bool, matching: VectorMatching?)
    case unaryMinus(Expr)
    case paren(Expr)
    /// `expr[range:step]` (no step: the rule's evaluation interval), with its own offset and `@`.
    case subquery(expr: Expr, range: Double, step: Double?, offset: Double, at: AtModifier?)
}

/// `on(...)`/`ignoring(...)` and `group_left(...)`/`group_right(...)` of a binary operation.
public struct VectorMatching: Sendable, Equatable {
    public enum Cardinality: Sendable, Equatable {
        case oneToOne
        /// `group_left(include)`: many on the left, their labels kept, `include` copied from the right.
        case manyToOne([String])
        /// `group_right(include)`.
        case oneToMany([String])
    }
    public var cardinality: Cardinality
    /// true for `on(labels)`, false for `ignoring(labels)`.
    public var on: Bool
    public var labels: [String]

    public init(cardinality: Cardinality = .oneToOne, on: Bool, labels: [String]) {
        self.cardinality = cardinality
        self.on = on
        self.labels = labels
    }
}

/// `@ 1609746000`, `@ start()`, `@ end()`: a selector or subquery read at a fixed time.
public enum AtModifier: Sendable, Equatable {
    case time(Double)
    case start
    case end
}

extension Expr {
    /// The longest stretch of past samples the expression reads (a range and its offset):
    /// how long after a start its answer can be trusted to mean what it says.
    public var window: Double {
        switch self {
        case .number, .string: return 0
        case .selector(let s): return (s.range ?? 0) + max(0, s.offset)
        case .function(_, let args, _): return args.map(\.window).max() ?? 0
        case .aggregate(_, _, let e, let p): return max(e.window, p?.window ?? 0)
        case .binary(_, let l, let r, _, _): return max(l.window, r.window)
        case .subquery(let e, let range, _, let offset, _): return e.window + range + max(0, offset)
        case .unaryMinus(let e), .paren(let e): return e.window
        }
    }
}

extension Expr {
    /// Every selector in it, subqueries' included.
    public var selectors: [Selector] {
        switch self {
        case .number, .string: return []
        case .selector(let s): return [s]
        case .function(_, let args, _): return args.flatMap(\.selectors)
        case .aggregate(_, _, let e, let p): return e.selectors + (p?.selectors ?? [])
        case .binary(_, let l, let r, _, _): return l.selectors + r.selectors
        case .subquery(let e, _, _, _, _), .unaryMinus(let e), .paren(let e): return e.selectors
        }
    }
}

public struct Selector: Sendable, Equatable {
    public var name: String?
    public var matchers: [LabelMatcher]
    /// Seconds of a range selector (`[5m]`); nil for an instant one.
    public var range: Double?
    public var offset: Double
    public var at: AtModifier? = nil

    /// The matchers including `__name__ = name`.
    public var allMatchers: [LabelMatcher] {
        guard let name else { return matchers }
        return [try! LabelMatcher("__name__", .equal, name)] + matchers
    }
}

public enum Grouping: Sendable, Equatable {
    case none
    case by([String])
    case without([String])
}

public enum AggregateOp: String, Sendable, CaseIterable {
    case sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"

    /// The aggregations that take a parameter before the vector.
    var takesParameter: Bool { [.topk, .bottomk, .quantile, .countValues].contains(self) }
}

public enum BinaryOp: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^", atan2
    case eq = "==", ne = "!=", gt = ">", lt = "<", ge = ">=", le = "<="
    case and, or, unless

    var isComparison: Bool { [.eq, .ne, .gt, .lt, .ge, .le].contains(self) }
    var isSet: Bool { [.and, .or, .unless].contains(self) }
    var isArithmetic: Bool { !isComparison && !isSet }
    /// Prometheus 2.42 drops the metric name for these (not for `atan2`, which 3.x changed).
    var dropsMetricName: Bool { isArithmetic && self != .atan2 }

    /// PromQL's precedence, low to high: or; and unless; comparisons; + -; * / %; ^.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .eq, .ne, .gt, .lt, .ge, .le: return 3
        case .add, .sub: return 4
        case .mul, .div, .mod, .atan2: return 5
        case .pow: return 6
        }
    }
}
