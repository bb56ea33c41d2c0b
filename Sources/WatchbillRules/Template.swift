#if canImport(Glibc)
import Glibc
#endif

/// The annotation templates alert rules use, the part of Prometheus' Go templates they
/// need: `{{ $labels.name }}`, `{{ $value }}`, and pipes into `humanize`, `humanize1024`,
/// `humanizePercentage` and `humanizeDuration`. Anything else is an error at load time,
/// with its column, rather than text that silently never renders.
public struct Template: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case text(String)
        case value([String])
        case label(String, [String])
    }

    let parts: [Part]
    public static let functions = ["humanize", "humanize1024", "humanizePercentage", "humanizeDuration"]

    public init(_ source: String) throws {
        var parts: [Part] = []
        var rest = Substring(source)
        var column = 1
        while let open = rest.firstRange(of: "{{") {
            let literal = rest[..<open.lowerBound]
            if !literal.isEmpty { parts.append(.text(String(literal))) }
            column += literal.count
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                throw ExprError(at: SourcePosition(line: 1, column: column), cause: "'{{' is not closed")
            }
            let action = rest[open.upperBound..<close.lowerBound]
            parts.append(try Template.action(String(action), column: column))
            column += 2 + action.count + 2
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
    }

    static func action(_ text: String, column: Int) throws -> Part {
        let stages = text.split(separator: "|").map { $0.trimmingCharacters() }
        let functions = Array(stages.dropFirst())
        for f in functions where !Template.functions.contains(f) {
            throw ExprError(at: SourcePosition(line: 1, column: column),
                            cause: "template function '\(f)' is not supported (\(Template.functions.joined(separator: ", ")))")
        }
        let operand = stages.first ?? ""
        if operand == "$value" || operand == ".Value" { return .value(functions) }
        for prefix in ["$labels.", ".Labels."] where operand.hasPrefix(prefix) {
            return .label(String(operand.dropFirst(prefix.count)), functions)
        }
        throw ExprError(at: SourcePosition(line: 1, column: column),
                        cause: "template '{{\(text)}}' is not supported: use {{ $value }} or {{ $labels.name }}")
    }

    public func render(labels: Labels, value: Double) -> String {
        parts.map { part -> String in
            switch part {
            case .text(let s): return s
            case .value(let fs): return Template.apply(fs, to: value, fallback: Template.plain(value))
            case .label(let name, let fs):
                let text = labels[name] ?? ""
                guard !fs.isEmpty, let v = Double(text) else { return text }
                return Template.apply(fs, to: v, fallback: text)
            }
        }.joined()
    }

    static func apply(_ functions: [String], to v: Double, fallback: String) -> String {
        guard let f = functions.last else { return fallback }
        switch f {
        case "humanize": return humanize(v)
        case "humanize1024": return humanize1024(v)
        case "humanizePercentage": return format("%.4g", v * 100) + "%"
        default: return humanizeDuration(v)
        }
    }

    /// `$value` as Go prints a float: shortest form (`0.95`, `1e+06`).
    static func plain(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e21 { return format("%.0f", v) }
        return format("%.15g", v)
    }

    /// Prometheus' humanize: SI prefixes, four significant digits (`1.235k`, `12.5m`).
    public static func humanize(_ v: Double) -> String {
        guard v != 0, v.isFinite else { return format("%.4g", v) }
        if abs(v) >= 1 {
            var x = v
            var i = 0
            let prefixes = ["", "k", "M", "G", "T", "P", "E", "Z", "Y"]
            while abs(x) >= 1000 && i < prefixes.count - 1 { x /= 1000; i += 1 }
            return format("%.4g", x) + prefixes[i]
        }
        var x = v
        var i = 0
        let prefixes = ["", "m", "u", "n", "p", "f", "a", "z", "y"]
        while abs(x) < 1 && i < prefixes.count - 1 { x *= 1000; i += 1 }
        return format("%.4g", x) + prefixes[i]
    }

    static func humanize1024(_ v: Double) -> String {
        guard abs(v) >= 1, v.isFinite else { return format("%.4g", v) }
        var x = v
        var i = 0
        let prefixes = ["", "ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]
        while abs(x) >= 1024 && i < prefixes.count - 1 { x /= 1024; i += 1 }
        return format("%.4g", x) + prefixes[i]
    }

    /// `1d 2h 3m 4s` for a second or more, `12.5ms` below.
    static func humanizeDuration(_ v: Double) -> String {
        // Past 10^15 s (30 million years) a value is no duration, and Int() would trap on it.
        guard v.isFinite, abs(v) < 1e15 else { return format("%.4g", v) }
        if abs(v) < 1 { return v == 0 ? "0s" : humanize(v) + "s" }
        var s = Int(abs(v).rounded(.down))
        let d = s / 86_400, h = s / 3600 % 24, m = s / 60 % 60
        s %= 60
        var out = v < 0 ? "-" : ""
        if d > 0 { out += "\(d)d " }
        if d > 0 || h > 0 { out += "\(h)h " }
        if d > 0 || h > 0 || m > 0 { out += "\(m)m " }
        return out + "\(s)s"
    }

    static func format(_ spec: String, _ v: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([v]) { vsnprintf(&buffer, buffer.count, spec, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
