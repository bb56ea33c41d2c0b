/// Where a piece of an expression starts, for errors: line and column from 1.
public struct SourcePosition: Sendable, Equatable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A parsed expression of the PromQL subset Watchbill evaluates.
public indirect enum Expr: Sendable, Equatable {
    case number(Double)
    case string(String)
    /// `metric{matchers}`, optionally `[range]` and `offset`.
    case selector(Selector)
    case function(name: String, args: [Expr], at: SourcePosition)
    case aggregate(op: AggregateOp, grouping: Grouping, expr: Expr, param: Expr?)
    case binary(op: BinaryOp, lhs: Expr, rhs: Expr, returnBool: Bool)
    case unaryMinus(Expr)
    case paren(Expr)
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
        case .binary(_, let l, let r, _): return max(l.window, r.window)
        case .unaryMinus(let e), .paren(let e): return e.window
        }
    }
}

public struct Selector: Sendable, Equatable {
    public var name: String?
    public var matchers: [LabelMatcher]
    /// Seconds of a range selector (`[5m]`); nil for an instant one.
    public var range: Double?
    public var offset: Double

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
    case sum, avg, min, max, count
}

public enum BinaryOp: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^"
    case eq = "==", ne = "!=", gt = ">", lt = "<", ge = ">=", le = "<="
    case and, or, unless

    var isComparison: Bool { [.eq, .ne, .gt, .lt, .ge, .le].contains(self) }
    var isSet: Bool { [.and, .or, .unless].contains(self) }

    /// PromQL's precedence, low to high: or; and unless; comparisons; + -; * / %; ^.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .eq, .ne, .gt, .lt, .ge, .le: return 3
        case .add, .sub: return 4
        case .mul, .div, .mod: return 5
        case .pow: return 6
        }
    }
}
