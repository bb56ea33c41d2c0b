#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// Go's `fmt` as templates print: `%v` of a float (shortest digits, an exponent from 1e+06
/// and below 1e-04), `Sprint`, and `Sprintf` with its verbs and its `%!d(float64=1.5)` for a
/// verb that does not fit.
enum GoFormat {
    /// `strconv.FormatFloat(v, 'g', -1, 64)`, which `%v` prints.
    static func float(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        // Swift's description has the shortest digits that read back the same, as Go's.
        let text = "\(abs(v))"
        var mantissa = Substring(text), exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let point = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = Array(mantissa.filter { $0 != "." })
        var dp = point + exponent
        while digits.first == "0" && digits.count > 1 { digits.removeFirst(); dp -= 1 }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        let sign = v < 0 ? "-" : ""
        // Go's shortest %g: an exponent below 1e-04 and from 1e+06 on.
        let exp = dp - 1
        if exp < -4 || exp >= 6 { return sign + scientific(digits, exp) }
        if dp <= 0 { return sign + "0." + String(repeating: "0", count: -dp) + String(digits) }
        if dp >= digits.count { return sign + String(digits) + String(repeating: "0", count: dp - digits.count) }
        return sign + String(digits[..<dp]) + "." + String(digits[dp...])
    }

    static func scientific(_ digits: [Character], _ exp: Int) -> String {
        let head = String(digits[0]) + (digits.count > 1 ? "." + String(digits[1...]) : "")
        let e = abs(exp)
        return head + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
    }

    /// `fmt.Sprint`: a space between operands when neither is a string.
    static func sprint(_ a: [TemplateValue]) -> String {
        var out = ""
        for (i, v) in a.enumerated() {
            if i > 0, !isString(a[i - 1]), !isString(v) { out += " " }
            out += v.printed
        }
        return out
    }

    static func isString(_ v: TemplateValue) -> Bool { if case .string = v { return true }; return false }

    /// `fmt.Sprintf` for the verbs templates use: `%v %s %q %d %f %F %e %E %g %G %x %X %t %%`,
    /// with flags, width and precision.
    static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        var out = ""
        var chars = Array(format)[...]
        var next = 0
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            var spec = "%"
            while let f = chars.first, "+-# 0".contains(f) { spec.append(f); chars.removeFirst() }
            while let d = chars.first, d.isNumber { spec.append(d); chars.removeFirst() }
            if chars.first == "." {
                spec.append(".")
                chars.removeFirst()
                while let d = chars.first, d.isNumber { spec.append(d); chars.removeFirst() }
            }
            guard let verb = chars.popFirst() else { out += "%!(NOVERB)"; break }
            if verb == "%" { out += "%"; continue }
            guard next < args.count else { out += "%!\(verb)(MISSING)"; continue }
            let arg = args[next]
            next += 1
            out += formatOne(verb, spec, arg)
        }
        if next < args.count {
            out += "%!(EXTRA " + args[next...].map { "\($0.typeName)=\($0.printed)" }.joined(separator: ", ") + ")"
        }
        return out
    }

    static func formatOne(_ verb: Character, _ spec: String, _ arg: TemplateValue) -> String {
        let bad = "%!\(verb)(\(arg.typeName)=\(arg.printed))"
        func c(_ cSpec: String, _ v: Double) -> String { Template.format(cSpec, v) }
        func padded(_ s: String) -> String {
            let flags = spec.dropFirst().prefix { "+-# 0".contains($0) }
            let width = Int(spec.dropFirst().drop { "+-# 0".contains($0) }.prefix { $0.isNumber }) ?? 0
            // Go's fmt takes widths below a million.
            guard s.count < width, width < 1_000_000 else { return s }
            let pad = String(repeating: " ", count: width - s.count)
            return flags.contains("-") ? s + pad : pad + s
        }
        switch verb {
        case "v": return padded(arg.printed)
        case "s":
            if case .string(let s) = arg { return padded(precisionCut(s, spec)) }
            if case .float = arg { return bad }
            if case .int = arg { return bad }
            return padded(arg.printed)
        case "q":
            if case .string(let s) = arg { return padded("\"" + s.replacingAll([("\\", "\\\\"), ("\"", "\\\""), ("\n", "\\n"), ("\t", "\\t")]) + "\"") }
            return bad
        case "d":
            if case .int(let i) = arg { return intFormat(spec, i) }
            return bad
        case "f", "F", "e", "E", "g", "G":
            let v: Double
            switch arg {
            case .float(let f): v = f
            default: return bad
            }
            if v.isNaN { return padded("NaN") }
            if v.isInfinite { return padded(v > 0 ? "+Inf" : "-Inf") }
            if (verb == "g" || verb == "G") && !spec.contains(".") { return padded(float(v)) }
            return c(spec + String(verb == "F" ? "f" : verb), v)
        case "x", "X":
            if case .int(let i) = arg { return padded(String(i, radix: 16, uppercase: verb == "X")) }
            if case .string(let s) = arg { return padded(s.utf8.map { String($0, radix: 16, uppercase: verb == "X").leftPadded(2) }.joined()) }
            return bad
        case "t":
            if case .bool(let b) = arg { return padded(b ? "true" : "false") }
            return bad
        default:
            return "%!\(verb)(\(arg.typeName)=\(arg.printed))"
        }
    }

    static func intFormat(_ spec: String, _ i: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        _ = withVaList([i]) { vsnprintf(&buffer, buffer.count, spec + "ld", $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func precisionCut(_ s: String, _ spec: String) -> String {
        guard let dot = spec.firstIndex(of: "."), let p = Int(spec[spec.index(after: dot)...]) else { return s }
        return String(s.prefix(p))
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ s: String) -> String { URLQuery.escape(s, spaceAsPlus: true) }

    /// `humanizeTimestamp`: Go's time.Time printing of a Unix time, in UTC.
    static func timestamp(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e15 else { return Template.format("%.4g", v) }
        // Prometheus keeps milliseconds (floatToTime rounds the fraction to them).
        let whole = v.rounded(.down), milliseconds = ((v - whole) * 1000).rounded()
        var seconds = time_t(whole) + (milliseconds >= 1000 ? 1 : 0)
        let fraction = milliseconds >= 1000 ? 0 : milliseconds / 1000
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        _ = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        var s = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if fraction > 0 {
            var f = Template.format("%.9f", fraction).dropFirst(1)
            while f.last == "0" { f = f.dropLast() }
            s += f
        }
        return s + " +0000 UTC"
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
