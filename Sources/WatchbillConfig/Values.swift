import WatchbillRules
import WatchbillCore

/// The value syntaxes of the config file and of `--probe`, as pure functions of the text. They
/// return `nil` (or a reason) and leave the line, the column and the wording to the caller.
public enum Values {
    /// `100M`, `2G`, `512K` or plain bytes, above zero; nil for anything else or an overflow.
    public static func byteSize(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text.uppercased())
        var scale = 1
        if let last = digits.last, let u = units[last] {
            scale = u
            digits = digits.dropLast()
        }
        guard let n = Int(digits), n > 0, n <= Int.max / scale else { return nil }
        return n * scale
    }

    /// `500ms`, `5s`, `2m`, `1h`, `30d`, Prometheus' `1w`, `1y` and `1h30m`, or a bare number of
    /// seconds (`1.5`), in seconds. Not negative; zero passes here and the caller decides
    /// whether it may.
    public static func duration(_ text: String) -> Double? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for unit in units where text.hasSuffix(unit.suffix) {
            if let n = decimal(String(text.dropLast(unit.suffix.count))) { return n * unit.seconds }
        }
        return decimal(text) ?? Lexer.prometheusDuration(text)
    }

    /// `99.9%` or a fraction `0.999`: a fraction strictly between 0 and 1.
    static func fraction(_ text: String) -> Double? {
        let value: Double
        if text.hasSuffix("%") {
            // "99.9e-2", not 99.9 / 100: the double nearest 0.999, as if written as a fraction.
            let digits = String(text.dropLast())
            guard decimal(digits) != nil, let n = Double(digits + "e-2") else { return nil }
            value = n
        } else {
            guard let n = decimal(text) else { return nil }
            value = n
        }
        return value > 0 && value < 1 ? value : nil
    }

    /// `200`, `200-299` or `2xx`, codes 100 to 599.
    static func statusRange(_ text: String) -> ClosedRange<Int>? {
        let codes = 100...599
        if text.count == 3, text.hasSuffix("xx"), let first = text.first, let digit = Int(String(first)),
           (1...5).contains(digit) {
            return (digit * 100)...(digit * 100 + 99)
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let code = integer(text), codes.contains(code) else { return nil }
            return code...code
        case 2:
            guard let lo = integer(String(parts[0])), let hi = integer(String(parts[1])),
                  codes.contains(lo), codes.contains(hi), lo <= hi else { return nil }
            return lo...hi
        default:
            return nil
        }
    }

    /// `262144`, `512B`, `256KiB`, `1MiB`: a positive number of bytes.
    static func byteCount(_ text: String) -> Int? {
        let units: [(suffix: String, factor: Int)] = [("KiB", 1024), ("MiB", 1024 * 1024), ("B", 1)]
        var digits = text
        var factor = 1
        for unit in units where text.hasSuffix(unit.suffix) {
            digits = String(text.dropLast(unit.suffix.count))
            factor = unit.factor
            break
        }
        guard let n = integer(digits), n > 0 else { return nil }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: factor)
        return overflow ? nil : bytes
    }

    /// Why `text` is not a `host:port` (`[v6]:port`) address, or `nil` if it is one.
    static func addressProblem(_ text: String) -> String? {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return "no ']' after the IPv6 address" }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return "expected host:port, such as [::1]:443" }
            port = rest.dropFirst()
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." || $0 == "%" || isAlphanumeric($0) })
            else { return "'\(host)' is not an IPv6 address" }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return "expected host:port, such as db.internal:5432" }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            if host.contains(":") { return "an IPv6 address goes in brackets, such as [::1]:443" }
            if host.isEmpty { return "no host before ':'" }
            if let problem = hostnameProblem(String(host)) { return problem }
        }
        guard let p = integer(String(port)), (1...65_535).contains(p) else { return "the port must be a number from 1 to 65535" }
        return nil
    }

    /// Why `text` is not a host name (`example.com`, `10.0.0.1`, `example.com.`), or `nil`.
    static func hostnameProblem(_ text: String) -> String? {
        if text.isEmpty { return "the name is empty" }
        if text.utf8.count > 253 { return "the name is longer than 253 bytes" }
        let labels = (text.hasSuffix(".") ? String(text.dropLast()) : text).split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            if label.isEmpty { return "the name has an empty label (two dots in a row, or a leading dot)" }
            if label.utf8.count > 63 { return "a label is longer than 63 bytes" }
            if !label.allSatisfy({ isAlphanumeric($0) || $0 == "-" || $0 == "_" }) {
                return "only letters, digits, '-', '_' and '.' may appear in a host name"
            }
        }
        return nil
    }

    /// Why `url` is not an `http://` or `https://` URL with a host, or `nil`. Never quotes the URL
    /// (it may carry a password).
    static func urlProblem(_ url: String) -> String? {
        let lower = url.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lower.hasPrefix($0) }) else {
            return "the URL must start with http:// or https://"
        }
        if url.contains(where: { $0.isWhitespace || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? false) }) {
            return "the URL contains a space or a control character"
        }
        let rest = url.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        if hostPort.isEmpty || hostPort.hasPrefix(":") { return "the URL has no host" }
        return nil
    }

    /// An HTTP header name: an RFC 9110 token.
    static func isHeaderName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { isAlphanumeric($0) || "!#$%&'*+-.^_`|~".contains($0) }
    }

    enum ExpansionError: Error, Equatable {
        /// `${NAME}` with NAME not in the environment.
        case unset(String)
        /// `${` without a variable name and `}` after it.
        case malformed
    }

    /// `${VAR}` replaced from `environment`, `$$` by a single `$`; any other `$` stays as it is.
    static func expand(_ text: String, environment: [String: String]) throws(ExpansionError) -> String {
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            guard c == "$", next < text.endIndex else {
                out.append(c)
                i = next
                continue
            }
            switch text[next] {
            case "$":
                out.append("$")
                i = text.index(after: next)
            case "{":
                let nameStart = text.index(after: next)
                guard let close = text[nameStart...].firstIndex(of: "}") else { throw .malformed }
                let name = String(text[nameStart..<close])
                guard isVariableName(name) else { throw .malformed }
                guard let value = environment[name] else { throw .unset(name) }
                out += value
                i = text.index(after: close)
            default:
                out.append(c)
                i = next
            }
        }
        return out
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return text.allSatisfy { $0 == "_" || isAlphanumeric($0) }
    }

    static func isAlphanumeric(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber)
    }

    /// Decimal digits only: no sign, no `0x`, no `_`.
    static func integer(_ text: String) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(text)
    }

    /// `12`, `1.5`, `.5`: digits with at most one point and a digit after it; no sign or exponent.
    static func decimal(_ text: String) -> Double? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits = { (s: Substring) in s.allSatisfy { ("0"..."9").contains($0) } }
        guard isDigits(parts[0]), parts.count == 1 ? !parts[0].isEmpty : (!parts[1].isEmpty && isDigits(parts[1]))
        else { return nil }
        return Double(parts[0].isEmpty ? "0" + text : text)
    }
}
