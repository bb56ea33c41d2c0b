import WatchbillCore

/// Which text a scrape answered with, from its Content-Type, as Prometheus chooses its
/// parser: OpenMetrics for `application/openmetrics-text`, the classic text format for
/// anything else (a missing or unknown type included).
public enum ExpositionFormat: Sendable, Equatable {
    case text, openMetrics

    public init(contentType: String?) {
        let media = (contentType ?? "").split(separator: ";", maxSplits: 1).first ?? ""
        self = media.filter { $0 != " " && $0 != "\t" }.lowercased() == "application/openmetrics-text" ? .openMetrics : .text
    }

    /// What Prometheus 2.42 asks an exporter for: OpenMetrics first, the text format after.
    public static let scrapeAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
}

/// The OpenMetrics 1.0 text form, read as Prometheus 2.42 reads it when scraping: one
/// blank between the parts of a line and nowhere else, `# HELP`, `# TYPE` and `# UNIT` the
/// only comments, a page that ends in `# EOF`, timestamps in seconds, exemplars after
/// `_total` and `_bucket` samples (read and dropped). Families are named as their TYPE line
/// names them (`http_requests` for `http_requests_total`); a sample keeps its full name.
struct OpenMetricsParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    var at = 0
    var line = 1
    var lineStart = 0
    var families: [MetricFamily] = []
    var index: [String: Int] = [:]
    /// The previous sample's name and family (a TYPE line in between resets it).
    var lastOwner: (name: String, family: Int)?

    init(bytes: UnsafeBufferPointer<UInt8>, source: String) {
        self.bytes = bytes
        self.source = source
    }

    static let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n"), quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    /// Where the parser is, or where the part it refuses began (`from`).
    func failure(_ cause: String, from: Int? = nil) -> SourceError {
        SourceError(file: source, line: line, cause: "column \((from ?? at) - lineStart + 1): \(cause)")
    }

    func byte(_ offset: Int = 0) -> UInt8? { at + offset < bytes.count ? bytes[at + offset] : nil }

    mutating func run() throws(SourceError) -> [MetricFamily] {
        while true {
            lineStart = at
            guard let first = byte() else { throw failure("the page does not end with # EOF") }
            if first == UInt8(ascii: "#") {
                if try metadata() { return families }
            } else {
                try sample()
            }
            line += 1
        }
    }

    /// A `#` line; true at `# EOF`, which must be the page's end.
    mutating func metadata() throws(SourceError) -> Bool {
        guard byte(1) == Self.space else { throw failure("a comment is '# HELP', '# TYPE', '# UNIT' or '# EOF'") }
        at += 2
        if matches("EOF") {
            at += 3
            if byte() == Self.newline {
                at += 1
                line += 1
                lineStart = at
            }
            guard at == bytes.count else { throw failure("there is more after # EOF") }
            return true
        }
        let keyword: String
        if matches("HELP ") { keyword = "HELP" } else if matches("TYPE ") { keyword = "TYPE" } else if matches("UNIT ") { keyword = "UNIT" } else {
            throw failure("a comment is '# HELP', '# TYPE', '# UNIT' or '# EOF' (OpenMetrics has no other comments)")
        }
        at += 5
        lastOwner = nil
        guard let name = metricName() else { throw failure("\(keyword) needs a metric name") }
        guard byte() == Self.space else { throw failure("\(keyword) \(name) needs a blank and its text") }
        at += 1
        let start = at
        while let b = byte(), b != Self.newline { at += 1 }
        guard byte() == Self.newline else { throw failure("the page ends inside \(keyword) \(name)") }
        let text = bytes[start..<at]
        at += 1
        let i = family(name)
        switch keyword {
        case "TYPE":
            let word = String(decoding: text, as: UTF8.self)
            guard let type = Self.types[word] else {
                throw failure("TYPE \(name) \(word): not counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown", from: start)
            }
            families[i].type = type
        case "HELP":
            guard let help = String(validating: text, as: UTF8.self) else { throw failure("HELP \(name) is not UTF-8") }
            families[i].help = help.contains("\\") ? Self.unescape(help) : help
        default:
            let unit = String(decoding: text, as: UTF8.self)
            guard unit.isEmpty || name.hasSuffix("_" + unit) else { throw failure("unit \(unit) is not the end of \(name)", from: start) }
        }
        return false
    }

    static let types: [String: MetricType] = [
        "counter": .counter, "gauge": .gauge, "histogram": .histogram, "gaugehistogram": .gaugehistogram,
        "summary": .summary, "info": .info, "stateset": .stateset, "unknown": .untyped,
    ]

    func matches(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard at + n <= bytes.count else { return false }
        return (0..<n).allSatisfy { bytes[at + $0] == word.utf8Start[$0] }
    }

    mutating func metricName() -> String? {
        let start = at
        while let b = byte(), ExpositionParser.isNameByte(b, first: at == start, colon: true) { at += 1 }
        return at == start ? nil : String(decoding: bytes[start..<at], as: UTF8.self)
    }

    /// Up to the next blank or newline: a value or a timestamp.
    mutating func token() -> String {
        let start = at
        while let b = byte(), b != Self.space, b != Self.newline { at += 1 }
        return String(decoding: bytes[start..<at], as: UTF8.self)
    }

    mutating func sample() throws(SourceError) {
        guard let name = metricName() else { throw failure("a line starts with a metric name, '# ' or nothing else") }
        var labels: [String: String] = [:]
        if byte() == UInt8(ascii: "{") {
            at += 1
            labels = try labelSet(unique: true)
            guard labels["__name__"] == nil else { throw failure("label name __name__ is reserved") }
        }
        let value = try number(after: name)
        var timestamp: Int64?
        if byte() == Self.space, !exemplarStarts {
            at += 1
            let text = token()
            guard !text.isEmpty, let seconds = Self.float(text) else { throw failure("\(text.debugDescription) is not a timestamp (seconds)") }
            guard seconds.isFinite else { throw failure("a timestamp must be a finite number") }
            timestamp = Self.milliseconds(seconds)
        }
        if exemplarStarts {
            guard name.hasSuffix("_total") || name.hasSuffix("_bucket") else { throw failure("\(name) may not carry an exemplar (only _total and _bucket)") }
            try exemplar()
        }
        guard byte() == Self.newline else {
            throw failure(byte() == nil ? "the page ends without # EOF" : "unexpected text after the sample")
        }
        at += 1
        // A family's samples come together: most lines reuse the previous line's family.
        let i: Int
        if let last = lastOwner, last.name == name { i = last.family } else { i = owner(of: name) }
        lastOwner = (name, i)
        families[i].samples.append(ExpositionSample(name: name, labels: labels, value: value, timestampMs: timestamp))
    }

    /// One blank and a number.
    mutating func number(after what: String) throws(SourceError) -> Double {
        guard byte() == Self.space else { throw failure("\(what) needs one blank and a value") }
        at += 1
        let start = at
        let text = token()
        guard !text.isEmpty, let value = Self.float(text) else { throw failure("\(text.debugDescription) is not a number", from: start) }
        return value
    }

    var exemplarStarts: Bool { byte() == Self.space && byte(1) == UInt8(ascii: "#") && byte(2) == Self.space && byte(3) == UInt8(ascii: "{") }

    /// ` # {labels} value [timestamp]`, checked and dropped: nothing here shows exemplars.
    mutating func exemplar() throws(SourceError) {
        at += 4
        _ = try labelSet(unique: false)
        _ = try number(after: "an exemplar")
        if byte() == Self.space {
            at += 1
            let text = token()
            guard let seconds = Self.float(text), seconds.isFinite else { throw failure("\(text.debugDescription) is not an exemplar timestamp") }
        }
    }

    /// After `{`: `name="value"` pairs joined by commas (no blanks, no trailing comma), to `}`.
    /// A sample's names must be `unique` (Prometheus refuses the scrape otherwise); an
    /// exemplar's are not checked.
    mutating func labelSet(unique: Bool) throws(SourceError) -> [String: String] {
        var labels: [String: String] = [:]
        if byte() == UInt8(ascii: "}") {
            at += 1
            return labels
        }
        while true {
            let start = at
            while let b = byte(), ExpositionParser.isNameByte(b, first: at == start, colon: false) { at += 1 }
            guard at > start else { throw failure("a label name was expected") }
            let label = String(decoding: bytes[start..<at], as: UTF8.self)
            guard byte() == UInt8(ascii: "=") else { throw failure("= was expected after \(label)") }
            at += 1
            guard byte() == Self.quote else { throw failure("the value of \(label) must be quoted") }
            at += 1
            let value = try labelValue(label)
            guard labels.updateValue(value, forKey: label) == nil || !unique else { throw failure("label \(label) given twice", from: start) }
            guard value.utf8.count <= Exposition.maxLabelValueBytes else {
                throw failure("the value of \(label) is over \(Exposition.maxLabelValueBytes) bytes", from: start)
            }
            guard labels.count <= Exposition.maxLabels else { throw failure("over \(Exposition.maxLabels) labels on one sample", from: start) }
            switch byte() {
            case UInt8(ascii: "}"):
                at += 1
                return labels
            case UInt8(ascii: ","):
                at += 1
            default:
                throw failure(", or } was expected")
            }
        }
    }

    /// From after the opening quote to past the closing one; `\\`, `\"` and `\n` are
    /// unescaped, any other escaped byte kept with its backslash, as Prometheus keeps it.
    mutating func labelValue(_ label: String) throws(SourceError) -> String {
        let start = at
        var escapes = false
        while true {
            guard let b = byte(), b != Self.newline else { throw failure("the value of \(label) is not closed") }
            if b == Self.quote { break }
            if b == Self.backslash {
                escapes = true
                at += 1
                guard let next = byte(), next != Self.newline else { throw failure("the value of \(label) is not closed") }
            }
            at += 1
        }
        let raw = bytes[start..<at]
        at += 1
        guard let value = String(validating: raw, as: UTF8.self) else { throw failure("the value of \(label) is not UTF-8") }
        return escapes ? Self.unescape(value) : value
    }

    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "\\", "\"": out.append(c)
                default: out.append("\\"); out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        if escaped { out.append("\\") }
        return out
    }

    /// Go's `strconv.ParseFloat` as Prometheus calls it: decimals with an exponent, `Inf` or
    /// `Infinity` with a sign, `NaN` without one (any case); no hex, no underscores, and a
    /// number too large for a double is an error, not infinity.
    static func float(_ text: String) -> Double? {
        var digits = false
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default:
                switch text.lowercased() {
                case "nan": return .nan
                case "inf", "+inf", "infinity", "+infinity": return .infinity
                case "-inf", "-infinity": return -.infinity
                default: return nil
                }
            }
        }
        guard digits, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Seconds as whole milliseconds, truncated as Go converts; clamped, never a trap.
    static func milliseconds(_ seconds: Double) -> Int64 {
        let ms = (seconds * 1000).rounded(.towardZero)
        if ms >= 9.2e18 { return Int64.max }
        if ms <= -9.2e18 { return Int64.min }
        return Int64(ms)
    }

    mutating func family(_ name: String) -> Int {
        if let i = index[name] { return i }
        families.append(MetricFamily(name: name, type: .untyped))
        index[name] = families.count - 1
        return families.count - 1
    }

    /// The family a sample belongs to: its TYPE's, where its name is that family's name with
    /// one of the suffixes the type has; else a family of its own.
    mutating func owner(of sample: String) -> Int {
        for suffix in ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"] where sample.hasSuffix(suffix) {
            if let i = index[String(sample.dropLast(suffix.count))], Self.suffixes(families[i].type).contains(suffix) { return i }
        }
        return family(sample)
    }

    static func suffixes(_ type: MetricType) -> [String] {
        switch type {
        case .counter: ["_total", "_created"]
        case .histogram: ["_bucket", "_count", "_sum", "_created"]
        case .gaugehistogram: ["_bucket", "_gcount", "_gsum"]
        case .summary: ["_count", "_sum", "_created"]
        case .info: ["_info"]
        case .gauge, .stateset, .untyped: []
        }
    }
}
