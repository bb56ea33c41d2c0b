#if canImport(Glibc)
import Glibc
#endif

/// Annotation and label templates as Prometheus renders them: Go's text/template with the
/// data Prometheus gives (`$labels`, `$value`, `$externalLabels`, `.Labels`, `.Value`) and
/// its functions (`humanize*`, `printf`, `title`, `toUpper`, `reReplaceAll`, `match`, `if`,
/// `range`, `with`, trim markers...). A template that does not parse is a load error with
/// its column; one that fails when run renders as Prometheus renders it,
/// `<error expanding template: ...>`, and never stops the engine.
public struct Template: Sendable, Equatable {
    let nodes: [TemplateNode]

    public init(_ source: String) throws {
        do {
            nodes = try TemplateParser.parse(source)
        } catch {
            throw ExprError(at: SourcePosition(line: 1, column: error.column), cause: error.cause)
        }
    }

    /// `query` answers the template's `query "..."` (the rule engine gives it; a view has none).
    public func render(labels: Labels, value: Double, query: ((String) throws -> [Sample])? = nil) -> String {
        let data = TemplateValue.data(labels, value)
        var runner = TemplateRunner(data: data, variables: [
            "labels": .map(TemplateValue.dictionary(labels)), "externalLabels": .map([:]), "externalURL": .string(""),
            "value": .float(value),
        ])
        runner.query = query
        do {
            try runner.run(nodes, dot: data)
            return runner.output
        } catch {
            return "<error expanding template: \(error)>"
        }
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
        // Under a minute, four significant digits (2.5s), as Prometheus prints it.
        if d == 0 && h == 0 && m == 0 { return out + format("%.4g", abs(v)) + "s" }
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
