/// PromQL as Prometheus 2.42 parses it (the one in Debian): every operator with `bool`,
/// `on`/`ignoring` and `group_left`/`group_right`, every aggregation with `by`/`without`
/// before or after, `offset` (negative too) and `@`, subqueries, keywords in any case,
/// comments. Types are checked as Prometheus checks them, so what it refuses at load is
/// refused here at load, with the position.
public enum Parser {
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
        return e
    }

    /// What an expression evaluates to, as Prometheus' parser types it.
    public static func type(of e: Expr) -> ValueType {
        switch e {
        case .number: return .scalar
        case .string: return .string
        case .selector(let s): return s.range == nil ? .vector : .matrix
        case .subquery: return .matrix
        case .function(let name, _, _): return PromQLFunctions.signatures[name]?.returns ?? .vector
        case .aggregate: return .vector
        case .binary(_, let l, let r, _, _): return type(of: l) == .scalar && type(of: r) == .scalar ? .scalar : .vector
        case .unaryMinus(let x), .paren(let x): return type(of: x)
        }
    }

    static let keywords: Set<String> = ["and", "or", "unless", "atan2", "bool", "on", "ignoring", "group_left", "group_right",
                                        "offset", "by", "without"]

    struct State {
        let tokens: [Token]
        var k = 0
        var nesting = 0
        var operators = 0

        init(tokens: [Token]) { self.tokens = tokens }

        var current: Token { tokens[k] }
        var next: Token { tokens[min(k + 1, tokens.count - 1)] }
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
            case .at: return "'@'"
            case .colon: return "':'"
            case .end: return "the end"
            }
        }

        /// A keyword in any case (`BY`, `On`), as PromQL's lexer reads them.
        func isKeyword(_ t: Token, _ word: String) -> Bool {
            if case .identifier(let s) = t.kind { return s.lowercased() == word }
            return false
        }

        mutating func expect(_ kind: Token.Kind, _ what: String) throws {
            guard current.kind == kind else { throw error("expected \(what), found \(describe(current))") }
            _ = take()
        }

        /// One level deeper: refused past `Parser.maxNesting`.
        mutating func enter() throws {
            nesting += 1
            guard nesting <= Parser.maxNesting else {
                throw error("nested more than \(Parser.maxNesting) deep (parentheses, calls, aggregations, signs)")
            }
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
                let opAt = take().at
                var returnBool = false
                if isKeyword(current, "bool") {
                    guard op.isComparison else { throw error("'bool' only follows a comparison") }
                    _ = take()
                    returnBool = true
                }
                let matching = try vectorMatching(op)
                let rhs = try expression(op == .pow ? op.precedence - 1 : op.precedence)
                try check(op, lhs, rhs, returnBool: returnBool, matching: matching, at: opAt)
                lhs = .binary(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: matching)
            }
            return lhs
        }

        /// `on(a, b)`/`ignoring(a)` and then `group_left(c)`/`group_right`.
        mutating func vectorMatching(_ op: BinaryOp) throws -> VectorMatching? {
            guard isKeyword(current, "on") || isKeyword(current, "ignoring") else {
                if isKeyword(current, "group_left") || isKeyword(current, "group_right") {
                    throw error("group_left and group_right need on(...) or ignoring(...) before them")
                }
                return nil
            }
            let on = isKeyword(take(), "on")
            var matching = VectorMatching(on: on, labels: try labelList())
            if isKeyword(current, "group_left") || isKeyword(current, "group_right") {
                let left = isKeyword(take(), "group_left")
                guard !op.isSet else { throw error("no grouping allowed for '\(op.rawValue)'") }
                let include = current.kind == .leftParen ? try labelList() : []
                matching.cardinality = left ? .manyToOne(include) : .oneToMany(include)
                if on, let both = include.first(where: matching.labels.contains) {
                    throw error("label '\(both)' must not occur in on() and group_\(left ? "left" : "right")() both")
                }
            }
            return matching
        }

        /// `(a, b, c)`: label names (keywords allowed), a trailing comma allowed.
        mutating func labelList() throws -> [String] {
            try expect(.leftParen, "'('")
            var names: [String] = []
            while current.kind != .rightParen {
                guard case .identifier(let n) = current.kind, Lexer.isLabelName(n) else {
                    throw error("expected a label name, found \(describe(current))")
                }
                _ = take()
                names.append(n)
                if current.kind == .comma { _ = take() } else if current.kind != .rightParen {
                    throw error("expected ',' or ')', found \(describe(current))")
                }
            }
            _ = take()
            return names
        }

        /// Prometheus' parse-time type checks of a binary operation.
        func check(_ op: BinaryOp, _ l: Expr, _ r: Expr, returnBool: Bool, matching: VectorMatching?, at: SourcePosition) throws {
            let lt = Parser.type(of: l), rt = Parser.type(of: r)
            for t in [lt, rt] where t != .scalar && t != .vector {
                throw error("binary expression must contain only scalar and instant vector types", at: at)
            }
            if op.isSet && (lt == .scalar || rt == .scalar) {
                throw error("set operator '\(op.rawValue)' not allowed in binary scalar expression", at: at)
            }
            if op.isComparison && !returnBool && lt == .scalar && rt == .scalar {
                throw error("comparisons between scalars must use the bool modifier", at: at)
            }
            if matching != nil && (lt == .scalar || rt == .scalar) {
                throw error("vector matching only allowed between instant vectors", at: at)
            }
        }

        func binaryOp(_ t: Token) -> BinaryOp? {
            switch t.kind {
            case .op(let o): return BinaryOp(rawValue: o)
            case .identifier(let w):
                let lower = w.lowercased()
                return ["and", "or", "unless", "atan2"].contains(lower) ? BinaryOp(rawValue: lower) : nil
            default: return nil
            }
        }

        /// A sign binds as `*` does: `-2 ^ 2` is -4, as in Prometheus.
        mutating func unary() throws -> Expr {
            if case .op(let sign) = current.kind, sign == "-" || sign == "+" {
                let at = take().at
                let inner = try expression(BinaryOp.mul.precedence)
                let t = Parser.type(of: inner)
                guard t == .scalar || t == .vector else { throw error("unary expression only allowed on expressions of type scalar or instant vector", at: at) }
                if sign == "+" { return inner }
                if case .number(let n) = inner { return .number(-n) }
                return .unaryMinus(inner)
            }
            return try postfix(try primary())
        }

        /// `[5m]` after a selector, `[5m:1m]` after anything, `offset` and `@` in either order.
        mutating func postfix(_ start: Expr) throws -> Expr {
            var e = start
            if current.kind == .leftBracket {
                let at = take().at
                guard case .duration(let range) = current.kind else { throw error("expected a duration like 5m in '[...]'") }
                _ = take()
                if current.kind == .colon {
                    _ = take()
                    var step: Double?
                    if case .duration(let d) = current.kind {
                        _ = take()
                        step = d
                    }
                    try expect(.rightBracket, "']'")
                    let t = Parser.type(of: e)
                    guard t == .vector else { throw error("subquery is only allowed on instant vector, got \(t.rawValue)", at: at) }
                    if step == 0 { throw error("zero step in a subquery", at: at) }
                    e = .subquery(expr: e, range: range, step: step, offset: 0, at: nil)
                } else {
                    try expect(.rightBracket, "']'")
                    guard case .selector(var s) = e, s.range == nil, s.offset == 0, s.at == nil else {
                        throw error("ranges only allowed for vector selectors", at: at)
                    }
                    s.range = range
                    e = .selector(s)
                }
            }
            var sawOffset = false, sawAt = false
            while isKeyword(current, "offset") || current.kind == .at {
                let at = current.at
                if isKeyword(current, "offset") {
                    _ = take()
                    guard !sawOffset else { throw error("offset may not be set multiple times", at: at) }
                    sawOffset = true
                    var sign = 1.0
                    if case .op("-") = current.kind { _ = take(); sign = -1 }
                    guard case .duration(let d) = current.kind else { throw error("expected a duration after offset") }
                    _ = take()
                    e = try modified(e, at: at) { offset, _ in offset = sign * d }
                } else {
                    _ = take()
                    guard !sawAt else { throw error("@ may not be set multiple times", at: at) }
                    sawAt = true
                    let modifier: AtModifier
                    switch current.kind {
                    case .number(let n):
                        _ = take()
                        modifier = .time(n)
                    case .op("-"):
                        _ = take()
                        guard case .number(let n) = current.kind else { throw error("expected a timestamp after @") }
                        _ = take()
                        modifier = .time(-n)
                    case .identifier(let w) where w == "start" || w == "end":
                        _ = take()
                        try expect(.leftParen, "'('")
                        try expect(.rightParen, "')'")
                        modifier = w == "start" ? .start : .end
                    default:
                        throw error("expected a timestamp, start() or end() after @")
                    }
                    // Prometheus' bound, in seconds (times past int64 milliseconds fail when evaluated).
                    if case .time(let t) = modifier, !(t < 9.223372036854775807e18 && t > -9.223372036854775808e18) {
                        throw error("timestamp out of bounds for @ modifier", at: at)
                    }
                    e = try modified(e, at: at) { _, a in a = modifier }
                }
            }
            return e
        }

        /// The selector or subquery `e` with its offset or `@` changed; refused on anything else.
        func modified(_ e: Expr, at: SourcePosition, _ change: (inout Double, inout AtModifier?) -> Void) throws -> Expr {
            switch e {
            case .selector(var s):
                change(&s.offset, &s.at)
                return .selector(s)
            case .subquery(let inner, let range, let step, var offset, var atTime):
                change(&offset, &atTime)
                return .subquery(expr: inner, range: range, step: step, offset: offset, at: atTime)
            default:
                throw error("offset and @ modifiers must follow a selector or a subquery", at: at)
            }
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
                let matchers = try self.matchers()
                guard matchers.contains(where: { !$0.matches(Labels()) }) else {
                    throw error("vector selector must contain at least one non-empty matcher", at: t.at)
                }
                let name = matchers.first { $0.name == "__name__" && $0.kind == .equal }?.value
                return .selector(Selector(name: name, matchers: matchers.filter { !($0.name == "__name__" && $0.kind == .equal && $0.value == name) },
                                          range: nil, offset: 0))
            case .identifier(let name):
                _ = take()
                let lower = name.lowercased()
                if lower == "inf" { return .number(.infinity) }
                if lower == "nan" { return .number(.nan) }
                if let op = AggregateOp(rawValue: lower) { return try aggregate(op, at: t.at) }
                if current.kind == .leftParen {
                    guard let signature = PromQLFunctions.signatures[name] else { throw error("unknown function '\(name)'", at: t.at) }
                    return try call(name, signature, at: t.at)
                }
                if Parser.keywords.contains(lower) { throw error("unexpected \(describe(t))", at: t.at) }
                let m = current.kind == .leftBrace ? try matchers() : []
                return .selector(Selector(name: name, matchers: m, range: nil, offset: 0))
            default:
                throw error("expected an expression, found \(describe(t))")
            }
        }

        mutating func call(_ name: String, _ signature: PromQLFunctions.Signature, at: SourcePosition) throws -> Expr {
            try enter()
            defer { nesting -= 1 }
            _ = take()
            var args: [Expr] = []
            if current.kind != .rightParen {
                args.append(try expression(0))
                while current.kind == .comma {
                    _ = take()
                    if current.kind == .rightParen { break }
                    args.append(try expression(0))
                }
            }
            try expect(.rightParen, "')'")
            let fixed = signature.arguments.count
            let least = fixed - signature.optional
            if args.count < least || (!signature.variadic && args.count > fixed) {
                let want = signature.variadic ? "at least \(least)" : least == fixed ? "\(fixed)" : "\(least) to \(fixed)"
                throw error("\(name) takes \(want) argument\(fixed == 1 && least == 1 ? "" : "s"), found \(args.count)", at: at)
            }
            for (i, a) in args.enumerated() {
                let want = i < fixed ? signature.arguments[i] : signature.arguments[fixed - 1]
                let got = Parser.type(of: a)
                guard got == want else {
                    throw error("expected type \(want.rawValue) in call to function '\(name)', got \(got.rawValue)", at: at)
                }
            }
            return .function(name: name, args: args, at: at)
        }

        mutating func matchers() throws -> [LabelMatcher] {
            try expect(.leftBrace, "'{'")
            var out: [LabelMatcher] = []
            while current.kind != .rightBrace {
                guard case .identifier(let name) = current.kind, Lexer.isLabelName(name) else {
                    throw error("expected a label name, found \(describe(current))")
                }
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

        /// `sum by (a) (expr)`, `sum (expr) by (a)`, `topk(3, expr)`, `count_values("v", expr)`.
        mutating func aggregate(_ op: AggregateOp, at: SourcePosition) throws -> Expr {
            try enter()
            defer { nesting -= 1 }
            var grouping = try groupingClause() ?? .none
            try expect(.leftParen, "'(' after \(op.rawValue)")
            var param: Expr?
            if op.takesParameter {
                param = try expression(0)
                try expect(.comma, "',' after the parameter of \(op.rawValue)")
            }
            let inner = try expression(0)
            if current.kind == .comma { throw error("\(op.rawValue) takes \(op.takesParameter ? "two arguments" : "one argument")") }
            try expect(.rightParen, "')'")
            if case .none = grouping, let g = try groupingClause() { grouping = g }
            guard Parser.type(of: inner) == .vector else {
                throw error("expected type instant vector in aggregation expression, got \(Parser.type(of: inner).rawValue)", at: at)
            }
            if let param {
                let want: ValueType = op == .countValues ? .string : .scalar
                guard Parser.type(of: param) == want else {
                    throw error("expected type \(want.rawValue) in aggregation parameter, got \(Parser.type(of: param).rawValue)", at: at)
                }
            }
            return .aggregate(op: op, grouping: grouping, expr: inner, param: param)
        }

        mutating func groupingClause() throws -> Grouping? {
            guard isKeyword(current, "by") || isKeyword(current, "without") else { return nil }
            let by = isKeyword(take(), "by")
            let names = try labelList()
            return by ? .by(names) : .without(names)
        }
    }
}

/// The types of PromQL values, named as Prometheus names them in its errors.
public enum ValueType: String, Sendable {
    case scalar
    case vector = "instant vector"
    case matrix = "range vector"
    case string
}
