#if canImport(Glibc)
import Glibc
#endif

/// A value inside a template, with Go's printing (`%v`) and truth.
enum TemplateValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case map([String: String])
    case list([TemplateValue])
    case sample(Labels, Double)
    /// The data a template is run on: `.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`.
    case data(Labels, Double)

    var truth: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .float(let f): f != 0
        case .string(let s): !s.isEmpty
        case .map(let m): !m.isEmpty
        case .list(let l): !l.isEmpty
        case .sample, .data: true
        }
    }

    /// Go's `%v`.
    var printed: String {
        switch self {
        case .null: "<no value>"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .float(let f): GoFormat.float(f)
        case .string(let s): s
        case .map(let m): "map[" + m.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ") + "]"
        case .list(let l): "[" + l.map(\.printed).joined(separator: " ") + "]"
        case .sample(let l, let v): "{" + TemplateValue.map(Self.dictionary(l)).printed + " " + GoFormat.float(v) + "}"
        case .data(let l, let v): "{" + TemplateValue.map(Self.dictionary(l)).printed + " map[]  " + GoFormat.float(v) + "}"
        }
    }

    /// Go's type name, for its error texts.
    var typeName: String {
        switch self {
        case .null: "nil"
        case .bool: "bool"
        case .int: "int"
        case .float: "float64"
        case .string: "string"
        case .map: "map[string]string"
        case .list: "[]interface {}"
        case .sample: "*template.sample"
        case .data: "struct"
        }
    }

    static func dictionary(_ l: Labels) -> [String: String] {
        Dictionary(l.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// `.A.B` of the value.
    func fields(_ names: [String]) throws(TemplateError) -> TemplateValue {
        var v = self
        for n in names { v = try v.field(n) }
        return v
    }

    /// `.Field` of the value.
    func field(_ name: String) throws(TemplateError) -> TemplateValue {
        switch self {
        case .map(let m): return .string(m[name] ?? "")
        case .sample(let l, let v):
            if name == "Labels" { return .map(Self.dictionary(l)) }
            if name == "Value" { return .float(v) }
        case .data(let l, let v):
            switch name {
            case "Labels": return .map(Self.dictionary(l))
            case "ExternalLabels": return .map([:])
            case "ExternalURL": return .string("")
            case "Value": return .float(v)
            default: break
            }
        case .null: return .null
        default: break
        }
        throw TemplateError("can't evaluate field \(name) in type \(typeName)")
    }
}

struct TemplateError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Runs parsed nodes: variables in scopes, Go's rules for if/range/with and pipelines.
struct TemplateRunner {
    var scopes: [[String: TemplateValue]]
    var output = ""
    /// Bounds a template's work (a `range` over a huge query, a runaway output).
    var budget = 100_000
    var query: TemplateFunctions.Query?

    init(data: TemplateValue, variables: [String: TemplateValue]) {
        scopes = [variables.merging(["": data]) { $1 }]
    }

    func lookup(_ name: String) throws(TemplateError) -> TemplateValue {
        for scope in scopes.reversed() { if let v = scope[name] { return v } }
        throw TemplateError("undefined variable: $\(name)")
    }

    mutating func set(_ name: String, _ value: TemplateValue, declare: Bool) throws(TemplateError) {
        if declare { scopes[scopes.count - 1][name] = value; return }
        for i in scopes.indices.reversed() where scopes[i][name] != nil {
            scopes[i][name] = value
            return
        }
        throw TemplateError("undefined variable: $\(name)")
    }

    mutating func run(_ nodes: [TemplateNode], dot: TemplateValue) throws(TemplateError) {
        for node in nodes {
            budget -= 1
            guard budget > 0, output.utf8.count < 1 << 20 else { throw TemplateError("the template did too much work") }
            switch node {
            case .text(let s): output += s
            case .action(let p):
                let v = try pipeline(p, dot: dot)
                if p.variables.isEmpty { output += v.printed }
            case .ifBlock(let p, let body, let otherwise):
                scopes.append([:])
                let v = try pipeline(p, dot: dot)
                try run(v.truth ? body : otherwise, dot: dot)
                scopes.removeLast()
            case .withBlock(let p, let body, let otherwise):
                scopes.append([:])
                let v = try pipeline(p, dot: dot)
                if v.truth { try run(body, dot: v) } else { try run(otherwise, dot: dot) }
                scopes.removeLast()
            case .rangeBlock(var p, let body, let otherwise):
                let names = p.variables
                p.variables = []
                let v = try pipeline(p, dot: dot)
                var items: [(TemplateValue, TemplateValue)] = []
                switch v {
                case .list(let l): items = l.enumerated().map { (.int($0.offset), $0.element) }
                case .map(let m): items = m.sorted { $0.key < $1.key }.map { (.string($0.key), .string($0.value)) }
                case .int(let n): items = (0..<max(0, min(n, 100_000))).map { (.int($0), .int($0)) }
                case .null: items = []
                default: throw TemplateError("range can't iterate over \(v.printed)")
                }
                if items.isEmpty { try run(otherwise, dot: dot) }
                for (key, element) in items {
                    scopes.append([:])
                    if names.count == 1 { scopes[scopes.count - 1][names[0]] = element }
                    if names.count == 2 { scopes[scopes.count - 1][names[0]] = key; scopes[scopes.count - 1][names[1]] = element }
                    try run(body, dot: element)
                    scopes.removeLast()
                }
            }
        }
    }

    mutating func pipeline(_ p: TemplatePipeline, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        var last: TemplateValue?
        for command in p.commands {
            last = try self.command(command, dot: dot, piped: last)
        }
        let value = last ?? .null
        if let name = p.variables.first { try set(name, value, declare: p.declares) }
        return value
    }

    mutating func command(_ operands: [TemplateOperand], dot: TemplateValue, piped: TemplateValue?) throws(TemplateError) -> TemplateValue {
        guard let first = operands.first else { return .null }
        if case .function(let name) = first {
            var args: [TemplateValue] = []
            for o in operands.dropFirst() { args.append(try operand(o, dot: dot)) }
            if let piped { args.append(piped) }
            return try TemplateFunctions.call(name, args, query: query)
        }
        guard operands.count == 1 else { throw TemplateError("can't give argument to non-function \(operands[0])") }
        guard piped == nil else { throw TemplateError("can't give argument to non-function") }
        return try operand(first, dot: dot)
    }

    mutating func operand(_ o: TemplateOperand, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        switch o {
        case .dot(let fields): return try dot.fields(fields)
        case .variable(let name, let fields):
            return try lookup(name).fields(fields)
        case .string(let s): return .string(s)
        case .number(let n, let isInteger): return isInteger && abs(n) < 9e15 ? .int(Int(n)) : .float(n)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .function(let name): return try TemplateFunctions.call(name, [], query: query)
        case .pipeline(let p, let fields):
            scopes.append([:])
            let v = try pipeline(p, dot: dot)
            scopes.removeLast()
            return try v.fields(fields)
        }
    }
}
