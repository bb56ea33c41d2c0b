/// Go's text/template as Prometheus uses it for annotations, parsed: text, actions with
/// trim markers (`{{-`, `-}}`), comments, pipelines of commands joined by `|`, variables
/// (`$x := ...`, `$x = ...`), `if`/`else if`/`else`, `range` (with `$i, $e :=`), `with`.
/// `define`, `template` and `block` are refused by name.
indirect enum TemplateNode: Sendable, Equatable {
    case text(String)
    case action(TemplatePipeline)
    case ifBlock(TemplatePipeline, [TemplateNode], [TemplateNode])
    case rangeBlock(TemplatePipeline, [TemplateNode], [TemplateNode])
    case withBlock(TemplatePipeline, [TemplateNode], [TemplateNode])
}

struct TemplatePipeline: Sendable, Equatable {
    /// `$x := ...` declares, `$x = ...` assigns; `range $i, $e := ...` declares two.
    var variables: [String] = []
    var declares = true
    var commands: [[TemplateOperand]] = []
}

indirect enum TemplateOperand: Sendable, Equatable {
    case dot([String])                  // `.`, `.Labels.job`
    case variable(String, [String])     // `$labels`, `$labels.job`
    case string(String)
    case number(Double, isInteger: Bool)
    case bool(Bool)
    case null
    case function(String)
    case pipeline(TemplatePipeline, [String])  // `(...)`, `(...).Field`
}

struct TemplateParser {
    struct Failure: Error { var column: Int; var cause: String }

    let source: [Character]
    var at = 0
    /// Blocks (`if`, `range`, `with`, each `else if`) and parentheses open around the parser.
    var depth = 0
    /// Deeper is refused, not parsed on the stack until it overflows (Go's parser has no such
    /// bound; no annotation comes near it).
    static let maxDepth = 100

    mutating func enter(column: Int) throws(Failure) {
        depth += 1
        guard depth <= Self.maxDepth else { throw Failure(column: column, cause: "blocks nest over \(Self.maxDepth) deep") }
    }

    init(_ text: String) { source = Array(text) }

    static func parse(_ text: String) throws(Failure) -> [TemplateNode] {
        var p = TemplateParser(text)
        let (nodes, end) = try p.nodes(until: [])
        if let end { throw Failure(column: p.at, cause: "unexpected {{\(end)}}") }
        return nodes
    }

    func starts(_ s: String, _ i: Int) -> Bool {
        let chars = Array(s)
        return i + chars.count <= source.count && Array(source[i..<i + chars.count]) == chars
    }

    /// Go's spaces around trim markers (`"\r\n"` is one Character in Swift).
    static let blanks: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]

    /// Nodes up to an `{{end}}` or `{{else ...}}` (returned as the word that stopped them).
    mutating func nodes(until stops: Set<String>) throws(Failure) -> ([TemplateNode], String?) {
        var out: [TemplateNode] = []
        var text = ""
        func flush() { if !text.isEmpty { out.append(.text(text)); text = "" } }
        while at < source.count {
            guard starts("{{", at) else {
                text.append(source[at])
                at += 1
                continue
            }
            let open = at
            at += 2
            // Go's marker is `-` and one blank, both taken: `{{- -}}` leaves `-}}`, a bad number.
            if starts("-", at) && at + 1 < source.count && Self.blanks.contains(source[at + 1]) {
                while let last = text.last, last.isWhitespace { text.removeLast() }
                at += 2
            }
            flush()
            // The action's words up to `}}` (not inside a string).
            let (words, trimAfter) = try actionText(from: open)
            if trimAfter { while at < source.count, source[at].isWhitespace { at += 1 } }
            let trimmed = words.trimmingBlanks()
            if trimmed.hasPrefix("/*") {
                guard trimmed.hasSuffix("*/") else { throw Failure(column: open + 1, cause: "unclosed comment") }
                continue
            }
            let keyword = trimmed.prefix { !$0.isWhitespace && $0 != "(" }
            switch keyword {
            case "end":
                guard stops.contains("end") else { throw Failure(column: open + 1, cause: "unexpected {{end}}") }
                return (out, "end")
            case "else":
                guard stops.contains("else") else { throw Failure(column: open + 1, cause: "unexpected {{else}}") }
                return (out, trimmed)
            case "if", "range", "with":
                var pipeline = try TemplateParser.pipeline(String(trimmed.dropFirst(keyword.count)), column: open + 1,
                                                           rangeDeclaration: keyword == "range")
                if pipeline.commands.isEmpty { throw Failure(column: open + 1, cause: "missing value for \(keyword)") }
                try enter(column: open + 1)
                let levels = depth
                defer { depth = levels - 1 }
                let (body, stop) = try nodes(until: ["end", "else"])
                var otherwise: [TemplateNode] = []
                if let stop, stop != "end" {
                    let rest = stop.dropFirst(4).trimmingBlanks()
                    if rest.isEmpty {
                        let (elseBody, last) = try nodes(until: ["end"])
                        guard last == "end" else { throw Failure(column: open + 1, cause: "missing {{end}}") }
                        otherwise = elseBody
                    } else if keyword == "if", rest.hasPrefix("if") {
                        // `{{else if x}}` is an if inside the else, closed by the same end.
                        let inner = try TemplateParser.pipeline(String(rest.dropFirst(2)), column: open + 1, rangeDeclaration: false)
                        let (elseBody, last) = try chain(inner)
                        guard last == "end" else { throw Failure(column: open + 1, cause: "missing {{end}}") }
                        otherwise = elseBody
                    } else {
                        throw Failure(column: open + 1, cause: "unexpected {{\(stop)}}")
                    }
                } else if stop == nil {
                    throw Failure(column: open + 1, cause: "missing {{end}} for {{\(keyword)}}")
                }
                if keyword != "range" && !pipeline.variables.isEmpty && pipeline.variables.count > 1 {
                    throw Failure(column: open + 1, cause: "too many declarations in \(keyword)")
                }
                switch keyword {
                case "if": out.append(.ifBlock(pipeline, body, otherwise))
                case "range":
                    pipeline.declares = true
                    out.append(.rangeBlock(pipeline, body, otherwise))
                default: out.append(.withBlock(pipeline, body, otherwise))
                }
            case "define", "template", "block", "break", "continue":
                throw Failure(column: open + 1, cause: "{{\(keyword)}} is not supported in an annotation")
            default:
                let pipeline = try TemplateParser.pipeline(String(trimmed), column: open + 1, rangeDeclaration: false)
                if pipeline.commands.isEmpty { throw Failure(column: open + 1, cause: "missing value for command") }
                out.append(.action(pipeline))
            }
        }
        flush()
        return (out, nil)
    }

    /// The rest of an `{{if}}` after `{{else if x}}`: its body and any further else.
    mutating func chain(_ condition: TemplatePipeline) throws(Failure) -> ([TemplateNode], String?) {
        try enter(column: at + 1)
        let (body, stop) = try nodes(until: ["end", "else"])
        guard let stop else { return ([], nil) }
        if stop == "end" { return ([.ifBlock(condition, body, [])], "end") }
        let rest = stop.dropFirst(4).trimmingBlanks()
        if rest.isEmpty {
            let (elseBody, last) = try nodes(until: ["end"])
            return ([.ifBlock(condition, body, elseBody)], last)
        }
        guard rest.hasPrefix("if") else { throw Failure(column: at, cause: "unexpected {{\(stop)}}") }
        let next = try TemplateParser.pipeline(String(rest.dropFirst(2)), column: at, rangeDeclaration: false)
        let (elseBody, last) = try chain(next)
        return ([.ifBlock(condition, body, elseBody)], last)
    }

    /// From `{{` at `open` (already past it and any `-`) to past `}}`: the words, and whether
    /// the action ends in `-}}`.
    mutating func actionText(from open: Int) throws(Failure) -> (String, Bool) {
        var words = ""
        var quote: Character?
        while at < source.count {
            let c = source[at]
            if let q = quote {
                words.append(c)
                at += 1
                if c == "\\" && q != "`" && at < source.count { words.append(source[at]); at += 1 } else if c == q { quote = nil }
                continue
            }
            if c == "\"" || c == "`" || c == "'" { quote = c }
            if Self.blanks.contains(c) && starts("-}}", at + 1) {
                at += 4
                return (words, true)
            }
            if starts("}}", at) {
                at += 2
                return (words, false)
            }
            words.append(c)
            at += 1
        }
        throw Failure(column: open + 1, cause: "'{{' is not closed")
    }

    /// `[$x :=] command | command ...`.
    static func pipeline(_ text: String, column: Int, rangeDeclaration: Bool, depth: Int = 0) throws(Failure) -> TemplatePipeline {
        guard depth <= maxDepth else { throw Failure(column: column, cause: "parentheses nest over \(maxDepth) deep") }
        var tokens = try tokenize(text, column: column)
        var p = TemplatePipeline()
        // Declarations: `$x :=`, `$x =`, `$i, $e :=`.
        if let assign = tokens.firstIndex(where: { $0 == ":=" || $0 == "=" }), assign <= 3,
           tokens[..<assign].allSatisfy({ $0.hasPrefix("$") || $0 == "," }) {
            p.variables = tokens[..<assign].filter { $0 != "," }.map { String($0.dropFirst()) }
            p.declares = tokens[assign] == ":="
            if p.variables.count > (rangeDeclaration ? 2 : 1) { throw Failure(column: column, cause: "too many declarations") }
            tokens.removeFirst(assign + 1)
        }
        var command: [TemplateOperand] = []
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            i += 1
            if t == "|" {
                guard !command.isEmpty else { throw Failure(column: column, cause: "missing command before '|'") }
                p.commands.append(command)
                command = []
                continue
            }
            if t == "(" {
                var open = 1, j = i
                while j < tokens.count, open > 0 {
                    if tokens[j] == "(" { open += 1 } else if tokens[j] == ")" { open -= 1 }
                    j += 1
                }
                guard open == 0 else { throw Failure(column: column, cause: "unclosed '('") }
                let inner = try pipeline(tokens[i..<(j - 1)].joined(separator: " "), column: column, rangeDeclaration: false, depth: depth + 1)
                i = j
                var fields: [String] = []
                if i < tokens.count, tokens[i].hasPrefix("."), tokens[i].count > 1 {
                    fields = tokens[i].split(separator: ".").map(String.init)
                    i += 1
                }
                command.append(.pipeline(inner, fields))
                continue
            }
            command.append(try operand(t, column: column))
        }
        if !command.isEmpty { p.commands.append(command) } else if !p.commands.isEmpty {
            throw Failure(column: column, cause: "missing command after '|'")
        }
        return p
    }

    static func operand(_ t: String, column: Int) throws(Failure) -> TemplateOperand {
        if t == "." { return .dot([]) }
        if t.hasPrefix(".") { return .dot(t.split(separator: ".").map(String.init)) }
        if t.hasPrefix("$") {
            let parts = t.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            return .variable(parts[0], Array(parts.dropFirst()))
        }
        if t.hasPrefix("\"") || t.hasPrefix("`") { return .string(t.hasPrefix("`") ? String(t.dropFirst().dropLast()) : unquote(t)) }
        if t.hasPrefix("'") {
            let inner = unquote("\"" + t.dropFirst().dropLast() + "\"")
            return .number(Double(inner.unicodeScalars.first?.value ?? 0), isInteger: true)
        }
        if t == "true" || t == "false" { return .bool(t == "true") }
        if t == "nil" { return .null }
        if let first = t.first, first.isNumber || ((first == "-" || first == "+" || first == ".") && t.count > 1) {
            if let i = Int(t) { return .number(Double(i), isInteger: true) }
            if t.lowercased().hasPrefix("0x"), let i = Int(t.dropFirst(2), radix: 16) { return .number(Double(i), isInteger: true) }
            if let d = Double(t) { return .number(d, isInteger: false) }
            throw Failure(column: column, cause: "bad number syntax: \(t)")
        }
        guard t.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw Failure(column: column, cause: "unexpected \"\(t)\" in command") }
        guard TemplateFunctions.names.contains(t) else { throw Failure(column: column, cause: "function \"\(t)\" not defined") }
        return .function(t)
    }

    /// Go's double-quoted string escapes.
    static func unquote(_ t: String) -> String {
        var out = ""
        var chars = Array(t.dropFirst().dropLast())[...]
        while let c = chars.popFirst() {
            guard c == "\\", let e = chars.popFirst() else { out.append(c); continue }
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\": out.append("\\")
            case "\"": out.append("\"")
            default: out.append("\\"); out.append(e)
            }
        }
        return out
    }

    /// Words of an action: strings kept whole, `(`, `)`, `|`, `,`, `:=`, `=` apart.
    static func tokenize(_ text: String, column: Int) throws(Failure) -> [String] {
        var out: [String] = []
        var current = ""
        var chars = Array(text)[...]
        func flush() { if !current.isEmpty { out.append(current); current = "" } }
        while let c = chars.popFirst() {
            switch c {
            case " ", "\t", "\n", "\r": flush()
            case "(", ")", "|", ",":
                flush()
                out.append(String(c))
            case ":" where chars.first == "=":
                flush()
                chars.removeFirst()
                out.append(":=")
            case "=":
                flush()
                out.append("=")
            case "\"", "`", "'":
                flush()
                var s = String(c)
                var closed = false
                while let d = chars.popFirst() {
                    s.append(d)
                    if d == "\\" && c != "`", let e = chars.popFirst() { s.append(e); continue }
                    if d == c { closed = true; break }
                }
                guard closed else { throw Failure(column: column, cause: "unterminated quoted string") }
                out.append(s)
            default:
                // `(x).Field`: a field right after a closing parenthesis is its own word.
                if c == ".", current.isEmpty, out.last == ")" { current.append(c); continue }
                current.append(c)
            }
        }
        flush()
        return out
    }
}

extension StringProtocol {
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
