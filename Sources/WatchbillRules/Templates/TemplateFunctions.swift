#if canImport(Glibc)
import Glibc
#endif

/// Go's template builtins and Prometheus' template functions, as they behave there.
enum TemplateFunctions {
    static let names: Set<String> = [
        "and", "or", "not", "len", "index", "print", "printf", "println", "html", "js", "urlquery", "eq", "ne", "lt", "le",
        "gt", "ge", "slice", "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
        "title", "toUpper", "toLower", "reReplaceAll", "match", "label", "value", "first", "strvalue", "safeHtml",
        "stripPort", "stripDomain", "sortByLabel", "query", "args", "tmpl", "externalURL", "pathPrefix", "graphLink",
        "tableLink", "parseDuration", "toTime",
    ]

    /// `query`'s answer: the expression's samples at the evaluation's time.
    typealias Query = (String) throws -> [Sample]

    static func call(_ name: String, _ a: [TemplateValue], query: Query? = nil) throws(TemplateError) -> TemplateValue {
        func want(_ n: Int) throws(TemplateError) {
            guard a.count == n else { throw TemplateError("wrong number of args for \(name): want \(n) got \(a.count)") }
        }
        func string(_ v: TemplateValue) throws(TemplateError) -> String {
            if case .string(let s) = v { return s }
            throw TemplateError("wrong type for value; expected string; got \(v.typeName)")
        }
        switch name {
        case "and":
            guard !a.isEmpty else { throw TemplateError("wrong number of args for and") }
            return a.first { !$0.truth } ?? a.last!
        case "or":
            guard !a.isEmpty else { throw TemplateError("wrong number of args for or") }
            return a.first { $0.truth } ?? a.last!
        case "not":
            try want(1)
            return .bool(!a[0].truth)
        case "len":
            try want(1)
            switch a[0] {
            case .string(let s): return .int(s.utf8.count)
            case .map(let m): return .int(m.count)
            case .list(let l): return .int(l.count)
            default: throw TemplateError("len of type \(a[0].typeName)")
            }
        case "index":
            guard let first = a.first else { throw TemplateError("wrong number of args for index") }
            var v = first
            for k in a.dropFirst() {
                switch (v, k) {
                case (.map(let m), .string(let key)): v = .string(m[key] ?? "")
                case (.list(let l), .int(let i)):
                    guard i >= 0, i < l.count else { throw TemplateError("index out of range: \(i)") }
                    v = l[i]
                default: throw TemplateError("can't index item of type \(v.typeName)")
                }
            }
            return v
        case "print": return .string(GoFormat.sprint(a))
        case "println": return .string(a.map(\.printed).joined(separator: " ") + "\n")
        case "printf":
            guard let format = a.first else { throw TemplateError("wrong number of args for printf") }
            return .string(GoFormat.sprintf(try string(format), Array(a.dropFirst())))
        case "html", "safeHtml":
            let s = GoFormat.sprint(a)
            return .string(name == "safeHtml" ? s : s.replacingAll([("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&#34;"), ("'", "&#39;")]))
        case "js":
            return .string(GoFormat.sprint(a).replacingAll([("\\", "\\\\"), ("'", "\\'"), ("\"", "\\\""), ("<", "\\u003C"), (">", "\\u003E")]))
        case "urlquery":
            return .string(GoFormat.queryEscape(GoFormat.sprint(a)))
        case "eq", "ne", "lt", "le", "gt", "ge":
            guard a.count >= 2 else { throw TemplateError("missing argument for comparison") }
            if name == "eq" {
                for b in a.dropFirst() where try compare(a[0], b) == 0 { return .bool(true) }
                return .bool(false)
            }
            try want(2)
            let c = try compare(a[0], a[1])
            switch name {
            case "ne": return .bool(c != 0)
            case "lt": return .bool(c < 0)
            case "le": return .bool(c <= 0)
            case "gt": return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case "slice":
            guard case .string(let s)? = a.first else { throw TemplateError("can't slice item") }
            let chars = Array(s.utf8)
            var bounds: [Int] = []
            for v in a.dropFirst() { guard case .int(let i) = v else { throw TemplateError("cannot index slice with \(v.typeName)") }; bounds.append(i) }
            let from = bounds.first ?? 0, to = bounds.count > 1 ? bounds[1] : chars.count
            guard from >= 0, from <= to, to <= chars.count else { throw TemplateError("slice index out of range") }
            return .string(String(decoding: chars[from..<to], as: UTF8.self))
        case "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp":
            try want(1)
            let v = try float(a[0])
            switch name {
            case "humanize": return .string(Template.humanize(v))
            case "humanize1024": return .string(Template.humanize1024(v))
            case "humanizeDuration": return .string(Template.humanizeDuration(v))
            case "humanizePercentage": return .string(Template.format("%.4g", v * 100) + "%")
            default: return .string(GoFormat.timestamp(v))
            }
        case "title":
            try want(1)
            var out = "", previous: Character = " "
            for c in try string(a[0]) {
                out += previous.isLetter || previous.isNumber || previous == "_" || previous == "'" ? String(c) : c.uppercased()
                previous = c
            }
            return .string(out)
        case "toUpper": try want(1); return .string(try string(a[0]).uppercased())
        case "toLower": try want(1); return .string(try string(a[0]).lowercased())
        case "reReplaceAll":
            try want(3)
            let pattern = try string(a[0]), replacement = try string(a[1]), text = try string(a[2])
            let regex: Regex<AnyRegexOutput>
            do { regex = try Regex(pattern) } catch { throw TemplateError("error parsing regexp: \(pattern)") }
            var out = "", rest = text[...]
            while let m = try? regex.firstMatch(in: rest), !m.range.isEmpty || m.range.lowerBound < rest.endIndex {
                out += rest[..<m.range.lowerBound]
                out += PromQLFunctions.expand(replacement, m)
                if m.range.isEmpty {
                    out.append(rest[m.range.lowerBound])
                    rest = rest[rest.index(after: m.range.lowerBound)...]
                } else {
                    rest = rest[m.range.upperBound...]
                }
            }
            return .string(out + rest)
        case "match":
            try want(2)
            do { return .bool(try Regex(try string(a[0])).firstMatch(in: try string(a[1])) != nil) } catch let e as TemplateError { throw e } catch {
                throw TemplateError("error parsing regexp")
            }
        case "label":
            try want(2)
            guard case .sample(let l, _) = a[1] else { return .string("") }
            return .string(l[try string(a[0])] ?? "")
        case "value":
            try want(1)
            guard case .sample(_, let v) = a[0] else { throw TemplateError("value() needs a query result") }
            return .float(v)
        case "strvalue":
            try want(1)
            guard case .sample(let l, _) = a[0] else { return .string("") }
            return .string(l["__value__"] ?? "")
        case "first":
            try want(1)
            guard case .list(let l) = a[0], let f = l.first else { throw TemplateError("first() called on vector with no elements") }
            return f
        case "sortByLabel":
            try want(2)
            guard case .list(let l) = a[1] else { return a[1] }
            let key = try string(a[0])
            return .list(l.sorted { x, y in
                if case .sample(let lx, _) = x, case .sample(let ly, _) = y { return (lx[key] ?? "") < (ly[key] ?? "") }
                return false
            })
        case "stripPort":
            try want(1)
            let s = try string(a[0])
            if s.hasPrefix("["), let close = s.firstIndex(of: "]") { return .string(String(s[s.index(after: s.startIndex)..<close])) }
            if s.filter({ $0 == ":" }).count == 1, let colon = s.lastIndex(of: ":") { return .string(String(s[..<colon])) }
            return .string(s)
        case "stripDomain":
            try want(1)
            let s = try string(a[0])
            let host = s.prefix { $0 != ":" }, port = s.dropFirst(host.count)
            if Int(host.split(separator: ".").last ?? "") != nil { return .string(s) }
            return .string(String(host.prefix { $0 != "." }) + port)
        case "args":
            var m: [String: String] = [:]
            for (i, v) in a.enumerated() { m["arg\(i)"] = v.printed }
            return .map(m)
        case "externalURL", "pathPrefix": return .string("")
        case "graphLink", "tableLink":
            try want(1)
            return .string("/graph?g0.expr=" + GoFormat.queryEscape(try string(a[0])) + "&g0.tab=" + (name == "graphLink" ? "0" : "1"))
        case "parseDuration":
            try want(1)
            let text = try string(a[0])
            guard let d = try? Lexer.duration(text) else { throw TemplateError("not a valid duration string: \"\(text)\"") }
            return .float(d)
        case "toTime":
            try want(1)
            return .string(GoFormat.timestamp(try float(a[0])))
        case "query":
            try want(1)
            let text = try string(a[0])
            guard let query else { throw TemplateError("query() is only answered when the rule is evaluated") }
            do { return .list(try query(text).map { .sample($0.labels, $0.value) }) } catch {
                throw TemplateError("error executing query: \((error as? ExprError)?.cause ?? "\(error)")")
            }
        default:
            throw TemplateError("template: \(name) is not supported")
        }
    }

    /// Prometheus' `convertToFloat`: numbers, and strings that hold one.
    static func float(_ v: TemplateValue) throws(TemplateError) -> Double {
        switch v {
        case .float(let f): return f
        case .int(let i): return Double(i)
        case .string(let s):
            guard let f = SeriesNotation.number(s) ?? Double(s) else { throw TemplateError("strconv.ParseFloat: parsing \"\(s)\": invalid syntax") }
            return f
        default: throw TemplateError("can't convert \(v.printed) to float")
        }
    }

    /// Go's `eq`/`lt` on basic kinds: ints with ints, floats with floats, strings with
    /// strings; anything else is "incompatible types".
    static func compare(_ x: TemplateValue, _ y: TemplateValue) throws(TemplateError) -> Int {
        switch (x, y) {
        case (.int(let a), .int(let b)): return a < b ? -1 : a > b ? 1 : 0
        case (.float(let a), .float(let b)): return a < b ? -1 : a > b ? 1 : (a == b ? 0 : 2)
        case (.string(let a), .string(let b)): return a < b ? -1 : a > b ? 1 : 0
        case (.bool(let a), .bool(let b)): return a == b ? 0 : 2
        default: throw TemplateError("incompatible types for comparison")
        }
    }
}

extension String {
    func replacingAll(_ pairs: [(String, String)]) -> String {
        var out = ""
        for c in self {
            if let r = pairs.first(where: { $0.0 == String(c) }) { out += r.1 } else { out.append(c) }
        }
        return out
    }
}
