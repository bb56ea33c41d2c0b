/// Parses the PromQL subset Watchbill evaluates. Anything outside it is an error naming
/// where it starts, never a silent no-op: `on`, `ignoring`, `group_left`, `@`, subqueries
/// and functions not in `Parser.functions` are refused by name.
public enum Parser {
    /// Functions and how many arguments each takes (range vectors are checked at evaluation).
    public static let functions: [String: ClosedRange<Int>] = [
        "rate": 1...1, "increase": 1...1, "avg_over_time": 1...1, "max_over_time": 1...1,
        "min_over_time": 1...1, "quantile_over_time": 2...2, "predict_linear": 2...2, "absent": 1...1,
        "time": 0...0,
    ]
    static let unsupported = ["on", "ignoring", "group_left", "group_right", "offset", "topk", "bottomk", "stddev",
                              "stdvar", "count_values", "quantile", "group"]

    /// How deep parentheses, function calls, aggregations and unary minus may nest, how many
    /// binary operators one expression may chain, and how long it may be. Past them a rule is
    /// refused with its position: a tree that deep would overflow the stack of whatever walks
    /// it (the type check, the evaluator, even freeing it), and no real rule comes near.
    public static let maxNesting = 100
    public static let maxOperators = 1_000
    public static let maxLength = 100_000

    public static func parse(_ text: String) throws -> Expr {
        guard text.utf8.count <= maxLength else {
            throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "the expression is \(text.utf8.count) bytes long; at most \(maxLength) are read")
        }
        var lexer = Lexer(text)
        var p = State(tokens: try lexer.tokens())
        let e = try p.expression(0)
        guard p.current.kind == .end else { throw p.error("unexpected \(p.describe(p.current)) after the expression") }
        try check(e)
        return e
    }

    /// Type checks the subset: what PromQL would reject when evaluating, reject at load.
    static func check(_ e: Expr) throws {
        switch e {
        case .binary(let op, let l, let r, _):
            try check(l)
            try check(r)
            if op.isSet && (isScalar(l) || isScalar(r)) {
                throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "'\(op.rawValue)' needs vectors on both sides")
            }
        case .aggregate(_, _, let inner, _), .unaryMinus(let inner), .paren(let inner): try check(inner)
        case .function(_, let args, _): try args.forEach(check)
        default: break
        }
    }

    static func isScalar(_ e: Expr) -> Bool {
        switch e {
        case .number: return true
        case .function("time", _, _): return true
        case .paren(let x), .unaryMinus(let x): return isScalar(x)
        case .binary(_, let l, let r, _): return isScalar(l) && isScalar(r)
        default: return false
        }
    }

    struct State {
        let tokens: [Token]
        var k = 0
        var nesting = 0
        var operators = 0

        init(tokens: [Token]) { self.tokens = tokens }

        var current: Token { tokens[k] }
        mutating func take() -> Token { defer { k = min(k + 1, tokens.count - 1) }; return tokens[k] }

        func error(_ cause: String, at: SourcePosition? = nil) -> ExprError { ExprError(at: at ?? current.at, cause: cause) }

        func describe(_ t: Token) -> String {
            switch t.kind {
            case .identifier(let s): return "'\(s)'"
            case .number(let n): return "number \(n)"
            case .duration: return "a duration"
            case .string: return "a string"
            case .op(let o): return "'\(o)'"
            case .leftParen: return "'('"
            case .rightParen: return "')'"
            case .leftBrace: return "'{'"
            case .rightBrace: return "'}'"
            case .leftBracket: return "'['"
            case .rightBracket: return "']'"
            case .comma: return "','"
            case .end: return "the end"
            }
        }

        mutating func expect(_ kind: Token.Kind, _ what: String) throws {
            guard current.kind == kind else { throw error("expected \(what), found \(describe(current))") }
            _ = take()
        }

        /// Precedence climbing; `^` is right-associative, the rest left.
        mutating func expression(_ minPrecedence: Int) throws -> Expr {
            try enter()
            defer { nesting -= 1 }
            var lhs = try unary()
            while let op = binaryOp(current), op.precedence > minPrecedence {
                operators += 1
                guard operators <= Parser.maxOperators else {
                    throw error("more than \(Parser.maxOperators) operators in one expression (split it with recording rules)")
                }
                _ = take()
                var returnBool = false
                if case .identifier("bool") = current.kind {
                    guard op.isComparison else { throw error("'bool' only follows a comparison") }
                    _ = take()
                    returnBool = true
                }
                if case .identifier(let w) = current.kind, ["on", "ignoring", "group_left", "group_right"].contains(w) {
                    throw error("'\(w)' is not in Watchbill's PromQL subset (vectors match on all labels)")
                }
                let rhs = try expression(op == .pow ? op.precedence - 1 : op.precedence)
                lhs = .binary(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool)
            }
            return lhs
        }

        func binaryOp(_ t: Token) -> BinaryOp? {
            switch t.kind {
            case .op(let o): return BinaryOp(rawValue: o)
            case .identifier(let w): return ["and", "or", "unless"].contains(w) ? BinaryOp(rawValue: w) : nil
            default: return nil
            }
        }

        /// One level deeper: refused past `Parser.maxNesting`.
        mutating func enter() throws {
            nesting += 1
            guard nesting <= Parser.maxNesting else {
                throw error("nested more than \(Parser.maxNesting) deep (parentheses, calls, aggregations, signs)")
            }
        }

        mutating func unary() throws -> Expr {
            if case .op(let sign) = current.kind, sign == "-" || sign == "+" {
                _ = take()
                try enter()
                defer { nesting -= 1 }
                let inner = try unary()
                return sign == "-" ? .unaryMinus(inner) : inner
            }
            return try postfix(try primary())
        }

        /// `[5m]` and `offset 5m` after a selector.
        mutating func postfix(_ e: Expr) throws -> Expr {
            guard case .selector(var s) = e else {
                if current.kind == .leftBracket { throw error("a range ('[5m]') only follows a metric selector") }
                return e
            }
            if current.kind == .leftBracket {
                _ = take()
                guard case .duration(let d) = current.kind else { throw error("expected a duration like 5m in '[...]'") }
                _ = take()
                if case .identifier(let w) = current.kind, w.hasPrefix(":") {
                    throw error("subqueries ('[5m:1m]') are not in Watchbill's PromQL subset")
                }
                try expect(.rightBracket, "']'")
                s.range = d
            }
            if case .identifier("offset") = current.kind {
                _ = take()
                guard case .duration(let d) = current.kind else { throw error("expected a duration after offset") }
                _ = take()
                s.offset = d
            }
            return .selector(s)
        }

        mutating func primary() throws -> Expr {
            let t = current
            switch t.kind {
            case .number(let n):
                _ = take()
                return .number(n)
            case .duration:
                throw error("a duration is only valid inside '[...]' or after offset")
            case .string(let s):
                _ = take()
                return .string(s)
            case .leftParen:
                _ = take()
                let e = try expression(0)
                try expect(.rightParen, "')'")
                return .paren(e)
            case .leftBrace:
                return .selector(Selector(name: nil, matchers: try matchers(), range: nil, offset: 0))
            case .identifier(let name):
                _ = take()
                if name.lowercased() == "inf" { return .number(.infinity) }
                if name.lowercased() == "nan" { return .number(.nan) }
                if let op = AggregateOp(rawValue: name) { return try aggregate(op, at: t.at) }
                if current.kind == .leftParen {
                    guard let arity = Parser.functions[name] else {
                        throw error("function '\(name)' is not in Watchbill's PromQL subset (\(Parser.functions.keys.sorted().joined(separator: ", ")))", at: t.at)
                    }
                    _ = take()
                    var args: [Expr] = []
                    if current.kind != .rightParen {
                        args.append(try expression(0))
                        while current.kind == .comma {
                            _ = take()
                            args.append(try expression(0))
                        }
                    }
                    try expect(.rightParen, "')'")
                    guard arity.contains(args.count) else {
                        throw error("\(name) takes \(arity.lowerBound) argument\(arity.lowerBound == 1 ? "" : "s"), found \(args.count)", at: t.at)
                    }
                    return .function(name: name, args: args, at: t.at)
                }
                if Parser.unsupported.contains(name) {
                    throw error("'\(name)' is not in Watchbill's PromQL subset", at: t.at)
                }
                let m = current.kind == .leftBrace ? try matchers() : []
                return .selector(Selector(name: name, matchers: m, range: nil, offset: 0))
            default:
                throw error("expected an expression, found \(describe(t))")
            }
        }

        mutating func matchers() throws -> [LabelMatcher] {
            try expect(.leftBrace, "'{'")
            var out: [LabelMatcher] = []
            while current.kind != .rightBrace {
                guard case .identifier(let name) = current.kind else { throw error("expected a label name, found \(describe(current))") }
                _ = take()
                guard case .op(let o) = current.kind, let kind = LabelMatcher.Kind(rawValue: o) else {
                    throw error("expected =, !=, =~ or !~ after \(name)")
                }
                _ = take()
                guard case .string(let value) = current.kind else { throw error("expected a quoted value for \(name)") }
                let at = current.at
                _ = take()
                do {
                    out.append(try LabelMatcher(name, kind, value))
                } catch {
                    throw ExprError(at: at, cause: "'\(value)' is not a valid regular expression")
                }
                if current.kind == .comma { _ = take() } else if current.kind != .rightBrace {
                    throw error("expected ',' or '}', found \(describe(current))")
                }
            }
            _ = take()
            return out
        }

        /// `sum by (a) (expr)`, `sum (expr) by (a)`, `sum without (a) (expr)`.
        mutating func aggregate(_ op: AggregateOp, at: SourcePosition) throws -> Expr {
            var grouping = try groupingClause() ?? .none
            try expect(.leftParen, "'(' after \(op.rawValue)")
            let inner = try expression(0)
            if current.kind == .comma { throw error("\(op.rawValue) takes one argument") }
            try expect(.rightParen, "')'")
            if case .none = grouping, let g = try groupingClause() { grouping = g }
            return .aggregate(op: op, grouping: grouping, expr: inner, param: nil)
        }

        mutating func groupingClause() throws -> Grouping? {
            guard case .identifier(let w) = current.kind, w == "by" || w == "without" else { return nil }
            _ = take()
            try expect(.leftParen, "'(' after \(w)")
            var names: [String] = []
            while current.kind != .rightParen {
                guard case .identifier(let n) = current.kind else { throw error("expected a label name, found \(describe(current))") }
                _ = take()
                names.append(n)
                if current.kind == .comma { _ = take() }
            }
            _ = take()
            return w == "by" ? .by(names) : .without(names)
        }
    }
}
