/// The tokens of PromQL, each with where it starts.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case number(Double)
        case duration(Double)
        case string(String)
        case op(String)  // + - * / % ^ == != > < >= <= = =~ !~
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket, comma
        /// `@` of the `@` modifier, `:` of a subquery's `[range:step]`.
        case at, colon
        case end
    }

    var kind: Kind
    var at: SourcePosition
}

/// An expression that cannot be used, and where: `line:column: cause`, with the line and
/// column inside the expression (the rule loader adds the file's own offsets).
public struct ExprError: Error, Sendable, Equatable, CustomStringConvertible {
    public var at: SourcePosition
    public var cause: String
    public var description: String { "\(at.line):\(at.column): \(cause)" }

    public init(at: SourcePosition, cause: String) {
        self.at = at
        self.cause = cause
    }
}

public struct Lexer {
    private let chars: [Character]
    private var i = 0
    private var line = 1
    private var column = 1

    init(_ text: String) { chars = Array(text) }

    mutating func tokens() throws -> [Token] {
        var out: [Token] = []
        while true {
            let t = try next(after: out.last?.kind)
            out.append(t)
            if t.kind == .end { return out }
        }
    }

    /// Seconds in int64 nanoseconds, Go's (and so Prometheus') longest duration.
    public static let longestDuration = 9_223_372_036.854775807

    /// A duration as Prometheus writes one (`5m`, `1h30m`, `1w`, `1y`), in seconds; nil if it is none.
    public static func prometheusDuration(_ text: String) -> Double? { try? duration(text) }

    /// A duration as PromQL writes one (`5m`, `1h30m`), in seconds.
    static func duration(_ text: String) throws -> Double {
        var lexer = Lexer(text)
        let tokens = try lexer.tokens()
        guard tokens.count == 2, case .duration(let d) = tokens[0].kind else {
            throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "not a duration: \(text)")
        }
        return d
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`: a label name (no colon, unlike a metric name).
    static func isLabelName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic && first.isASCII else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    private var peek: Character? { i < chars.count ? chars[i] : nil }
    private func peek(_ k: Int) -> Character? { i + k < chars.count ? chars[i + k] : nil }

    private mutating func advance() -> Character {
        let c = chars[i]
        i += 1
        if c == "\n" { line += 1; column = 1 } else { column += 1 }
        return c
    }

    private mutating func next(after previous: Token.Kind?) throws -> Token {
        while let c = peek, c.isWhitespace || c == "#" {
            if c == "#" { while let d = peek, d != "\n" { _ = advance() } } else { _ = advance() }
        }
        let at = SourcePosition(line: line, column: column)
        guard let c = peek else { return Token(kind: .end, at: at) }
        func single(_ k: Token.Kind) -> Token { _ = advance(); return Token(kind: k, at: at) }
        switch c {
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case "{": return single(.leftBrace)
        case "}": return single(.rightBrace)
        case "[": return single(.leftBracket)
        case "]": return single(.rightBracket)
        case ",": return single(.comma)
        case "@": return single(.at)
        case ":" where { if case .duration = previous { return true } else { return false } }():
            // `[5m:1m]`: after a range's duration a colon is the subquery's, not a name's.
            return single(.colon)
        case "+", "-", "*", "/", "%", "^": return single(.op(String(c)))
        case "=", "!", "<", ">":
            _ = advance()
            if let d = peek, d == "=" || (d == "~" && (c == "=" || c == "!")) {
                _ = advance()
                return Token(kind: .op(String(c) + String(d)), at: at)
            }
            if c == "!" { throw ExprError(at: at, cause: "'!' must be followed by '=' or '~'") }
            return Token(kind: .op(String(c)), at: at)
        case "\"", "'", "`":
            return Token(kind: .string(try string(quote: c, at: at)), at: at)
        default:
            if c.isNumber || (c == "." && peek(1)?.isNumber == true) { return try number(at: at) }
            if c.isLetter || c == "_" || c == ":" {
                var s = ""
                while let d = peek, d.isLetter || d.isNumber || d == "_" || d == ":" { s.append(advance()) }
                return Token(kind: .identifier(s), at: at)
            }
            throw ExprError(at: at, cause: "unexpected character '\(c)'")
        }
    }

    private mutating func string(quote: Character, at: SourcePosition) throws -> String {
        _ = advance()
        var s = ""
        while let c = peek {
            _ = advance()
            if c == quote { return s }
            if c == "\\" && quote != "`", let e = peek {
                _ = advance()
                switch e {
                case "n": s.append("\n")
                case "t": s.append("\t")
                default: s.append(e)
                }
            } else {
                s.append(c)
            }
        }
        throw ExprError(at: at, cause: "string not closed")
    }

    /// A number (`0.5`, `1e3`, `Inf`, `NaN` come as identifiers) or a duration (`5m`, `1h30m`).
    private mutating func number(at: SourcePosition) throws -> Token {
        if peek == "0", let x = peek(1), x == "x" || x == "X", let h = peek(2), h.isHexDigit {
            _ = advance(); _ = advance()
            var hex = ""
            while let c = peek, c.isHexDigit { hex.append(advance()) }
            guard let v = UInt64(hex, radix: 16) else { throw ExprError(at: at, cause: "bad number '0x\(hex)'") }
            try endOfNumber("0x" + hex, at: at)
            return Token(kind: .number(Double(v)), at: at)
        }
        var s = ""
        while let c = peek, c.isNumber || c == "." || c == "e" || c == "E" || ((c == "+" || c == "-") && (s.last == "e" || s.last == "E")) {
            if (c == "e" || c == "E"), !(peek(1)?.isNumber == true || peek(1) == "+" || peek(1) == "-") { break }
            s.append(advance())
        }
        if let c = peek, "smhdwy".contains(c), Int(s) != nil {
            var total = 0.0
            var digits = s
            while true {
                guard let u = peek, let n = Double(digits) else { throw ExprError(at: at, cause: "bad duration") }
                var unit = String(advance())
                if unit == "m" && peek == "s" { unit += String(advance()) }
                let scale: [String: Double] = ["ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800, "y": 31_536_000]
                guard let k = scale[unit] else { throw ExprError(at: at, cause: "bad duration unit '\(u)'") }
                total += n * k
                digits = ""
                while let c = peek, c.isNumber { digits.append(advance()) }
                if digits.isEmpty { break }
            }
            // Prometheus keeps durations as Go's, in int64 nanoseconds: about 292 years.
            guard total < Self.longestDuration else { throw ExprError(at: at, cause: "duration out of range") }
            try endOfNumber(s, at: at)
            return Token(kind: .duration(total), at: at)
        }
        guard let v = Double(s) else { throw ExprError(at: at, cause: "bad number '\(s)'") }
        try endOfNumber(s, at: at)
        return Token(kind: .number(v), at: at)
    }

    /// As Prometheus' lexer: a number runs into no letter, digit or `_` (`0or`, `86unless`).
    private func endOfNumber(_ text: String, at: SourcePosition) throws {
        if let c = peek, c.isLetter || c.isNumber || c == "_" {
            throw ExprError(at: at, cause: "bad number or duration syntax: \"\(text)\"")
        }
    }
}
