import WatchbillCore

/// A metric family's kind, as its `# TYPE` line says (untyped without one; OpenMetrics'
/// `unknown` is untyped too). The last three are OpenMetrics' own.
public enum MetricType: String, Sendable, CaseIterable {
    case counter, gauge, histogram, summary, untyped
    case gaugehistogram, info, stateset

    /// The types the classic text format's TYPE line may name.
    static let text: Set<MetricType> = [.counter, .gauge, .histogram, .summary, .untyped]
}

/// One sample line: the full sample name (`x_bucket` for a histogram's bucket), its labels,
/// the value and the optional timestamp in milliseconds.
public struct ExpositionSample: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var value: Double
    public var timestampMs: Int64?

    public init(name: String, labels: [String: String] = [:], value: Double, timestampMs: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMs = timestampMs
    }

    /// NaN compares equal to NaN here: a sample read twice is the same sample.
    public static func == (a: ExpositionSample, b: ExpositionSample) -> Bool {
        a.name == b.name && a.labels == b.labels && a.timestampMs == b.timestampMs
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// The samples under one `# TYPE` (a histogram's `_bucket`, `_sum` and `_count` together).
public struct MetricFamily: Sendable, Equatable {
    public var name: String
    public var type: MetricType
    public var help: String?
    public var samples: [ExpositionSample]

    public init(name: String, type: MetricType, help: String? = nil, samples: [ExpositionSample] = []) {
        self.name = name
        self.type = type
        self.help = help
        self.samples = samples
    }
}

/// The Prometheus text exposition format (version 0.0.4, what node_exporter and every client
/// library serve), read from bytes: `# HELP` and `# TYPE` lines, label values with `\\`,
/// `\"` and `\n` escapes, `NaN` and `±Inf`, optional millisecond timestamps. A line that
/// does not parse is an error with its line and what was wrong, never a crash and never a
/// silently dropped sample.
public enum Exposition {
    /// Watchbill's bounds on one sample, past anything an exporter serves (Prometheus' own
    /// `label_limit` and `label_value_length_limit` are off by default): a page that breaks
    /// one is refused with the line, as a page that does not parse is.
    public static let maxLabels = 256
    public static let maxLabelValueBytes = 64 << 10

    /// Every family in the order first seen, read in the format the answer came in.
    public static func parse(_ bytes: [UInt8], source: String, format: ExpositionFormat = .text) throws(SourceError) -> [MetricFamily] {
        // The parser reads through a pointer: no bounds check or reference count per byte.
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<[MetricFamily], SourceError> in
            do throws(SourceError) {
                switch format {
                case .text:
                    var parser = ExpositionParser(bytes: buffer, source: source)
                    return .success(try parser.run())
                case .openMetrics:
                    var parser = OpenMetricsParser(bytes: buffer, source: source)
                    return .success(try parser.run())
                }
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    public static func parse(_ text: String, source: String, format: ExpositionFormat = .text) throws(SourceError) -> [MetricFamily] {
        try parse(Array(text.utf8), source: source, format: format)
    }

    /// Whether `name` is a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
    public static func isMetricName(_ name: String) -> Bool {
        var first = true
        for b in name.utf8 {
            guard ExpositionParser.isNameByte(b, first: first, colon: true) else { return false }
            first = false
        }
        return !first
    }
}

/// Lives only inside `Exposition.parse`, while its buffer does.
struct ExpositionParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    var at = 0
    var line = 1
    var lineStart = 0
    var families: [MetricFamily] = []
    var index: [String: Int] = [:]
    /// Families that already have samples: a `# TYPE` after them is out of place.
    var sampled: Set<String> = []
    /// Families with a `# TYPE` line: a second one is refused, as Prometheus refuses it
    /// (even `untyped` then `gauge`).
    var typed: Set<String> = []

    init(bytes: UnsafeBufferPointer<UInt8>, source: String) {
        self.bytes = bytes
        self.source = source
    }

    static func isNameByte(_ b: UInt8, first: Bool, colon: Bool) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return !first
        case UInt8(ascii: ":"): return colon
        default: return false
        }
    }

    func failure(_ cause: String) -> SourceError {
        SourceError(file: source, line: line, cause: "column \(at - lineStart + 1): \(cause)")
    }

    mutating func run() throws(SourceError) -> [MetricFamily] {
        while at < bytes.count {
            lineStart = at
            skipBlanks()
            if at >= bytes.count { break }
            if bytes[at] == UInt8(ascii: "\n") {
                nextLine()
                continue
            }
            if bytes[at] == UInt8(ascii: "#") {
                try comment()
            } else {
                try sample()
            }
            nextLine()
        }
        try lastLineEnds()
        return families
    }

    /// Prometheus reads a page to its last newline: a last line without one (blanks aside)
    /// is a line cut off, and the page is refused, as `promtool check metrics` refuses it.
    /// Checked after the lines, so a broken line says what is wrong with it first.
    mutating func lastLineEnds() throws(SourceError) {
        var tail = bytes.count
        while tail > 0 && bytes[tail - 1] != UInt8(ascii: "\n") { tail -= 1 }
        guard bytes[tail..<bytes.count].contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        line = bytes[0..<tail].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        lineStart = tail
        at = bytes.count
        throw failure("the page ends without a newline (a cut-off line)")
    }

    mutating func nextLine() {
        while at < bytes.count && bytes[at] != UInt8(ascii: "\n") { at += 1 }
        if at < bytes.count { at += 1 }
        line += 1
    }

    mutating func skipBlanks() {
        while at < bytes.count && (bytes[at] == UInt8(ascii: " ") || bytes[at] == UInt8(ascii: "\t")) { at += 1 }
    }

    var atLineEnd: Bool { at >= bytes.count || bytes[at] == UInt8(ascii: "\n") }

    /// Up to the next blank or the line's end.
    mutating func word() -> String {
        let start = at
        // A carriage return is not a blank to Prometheus: `1\r` is not a number.
        while at < bytes.count, bytes[at] != UInt8(ascii: " "), bytes[at] != UInt8(ascii: "\t"), bytes[at] != UInt8(ascii: "\n") {
            at += 1
        }
        return String(decoding: bytes[start..<at], as: UTF8.self)
    }

    mutating func name(colon: Bool) -> String? {
        let start = at
        while at < bytes.count && ExpositionParser.isNameByte(bytes[at], first: at == start, colon: colon) { at += 1 }
        return at == start ? nil : String(decoding: bytes[start..<at], as: UTF8.self)
    }

    mutating func restOfLine() -> String {
        let start = at
        while !atLineEnd { at += 1 }
        return String(decoding: bytes[start..<at], as: UTF8.self)
    }

    mutating func comment() throws(SourceError) {
        // A TYPE can change which family the next sample of a name belongs to.
        lastName = nil
        at += 1
        skipBlanks()
        let keyword = word()
        guard keyword == "HELP" || keyword == "TYPE" else { return }  // any other comment
        skipBlanks()
        // `# HELP` alone, or with a name and nothing after it, is a comment to Prometheus.
        if atLineEnd { return }
        guard let metric = name(colon: true) else { throw failure("\(keyword) needs a metric name") }
        if atLineEnd { return }
        guard bytes[at] == UInt8(ascii: " ") || bytes[at] == UInt8(ascii: "\t") else {
            throw failure("invalid metric name in \(keyword)")
        }
        let i = family(metric)
        skipBlanks()
        if atLineEnd { return }
        if keyword == "HELP" {
            guard families[i].help == nil else { throw failure("a second HELP for \(metric)") }
            let start = at
            let text = restOfLine()
            // Looking in the bytes is far cheaper than in the string, and few HELPs escape.
            families[i].help = bytes[start..<at].contains(UInt8(ascii: "\\")) ? try unescapeHelp(text) : text
            return
        }
        // As Prometheus reads a type: the rest of the line, backslashes dropped, in any case
        // (`Gauge` is a gauge, `gauge ` with a trailing blank is not a type).
        let typeText = restOfLine().filter { $0 != "\\" }
        guard let type = MetricType(rawValue: typeText.lowercased()), MetricType.text.contains(type) else {
            throw failure("TYPE \(metric) \(typeText): not counter, gauge, histogram, summary or untyped")
        }
        guard !sampled.contains(metric) else { throw failure("TYPE for \(metric) after its samples") }
        guard typed.insert(metric).inserted else { throw failure("a second TYPE for \(metric)") }
        families[i].type = type
    }

    /// The family a name belongs to: its own, or, for `_bucket`, `_sum` and `_count`, the
    /// histogram's or summary's declared under the base name.
    mutating func family(_ name: String, type: MetricType = .untyped) -> Int {
        if let i = index[name] { return i }
        families.append(MetricFamily(name: name, type: type))
        index[name] = families.count - 1
        return families.count - 1
    }

    func owner(of sample: String) -> Int? {
        if let i = index[sample] { return i }
        for suffix in ["_bucket", "_sum", "_count", "_created"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if let i = index[base], families[i].type == .histogram || families[i].type == .summary { return i }
        }
        return nil
    }

    /// The previous sample's name and family: a family's samples come together, so most
    /// lines reuse them instead of making the name again and looking it up.
    var lastName: (start: Int, end: Int, name: String, family: Int)?

    mutating func sampleName() -> (String, Int?)? {
        let start = at
        while at < bytes.count && ExpositionParser.isNameByte(bytes[at], first: at == start, colon: true) { at += 1 }
        guard at > start else { return nil }
        if let last = lastName, last.end - last.start == at - start,
           bytes[last.start..<last.end].elementsEqual(bytes[start..<at]) {
            lastName = (start, at, last.name, last.family)
            return (last.name, last.family)
        }
        return (String(decoding: bytes[start..<at], as: UTF8.self), nil)
    }

    mutating func sample() throws(SourceError) {
        let nameStart = at
        guard let (metric, knownFamily) = sampleName() else { throw failure("a sample starts with a metric name") }
        let nameEnd = at
        var labels: [String: String] = [:]
        skipBlanks()
        if at < bytes.count && bytes[at] == UInt8(ascii: "{") {
            at += 1
            try labelSet(into: &labels)
        }
        skipBlanks()
        guard !atLineEnd else { throw failure("\(metric) has no value") }
        let valueText = word()
        guard let value = ExpositionParser.float(valueText) else { throw failure("\(valueText) is not a number") }
        var timestamp: Int64?
        // A blank after the value announces a timestamp, as Prometheus reads it.
        if !atLineEnd {
            skipBlanks()
            let text = word()
            guard let t = Int64(text) else {
                throw failure(text.isEmpty ? "a blank after the value but no timestamp" : "\(text) is not a timestamp (milliseconds)")
            }
            timestamp = t
            skipBlanks()
        }
        guard atLineEnd else { throw failure("unexpected text after the value") }
        let i = knownFamily ?? owner(of: metric) ?? family(metric)
        lastName = (nameStart, nameEnd, metric, i)
        // The type and name only: a copy of the family would hold its samples, and the
        // append below would then copy them all, every line.
        let type = families[i].type
        // A bucket without `le` Prometheus reads (and drops); one whose `le` is no number it refuses.
        if type == .histogram && metric.hasSuffix("_bucket") && metric.utf8.count == families[i].name.utf8.count + 7,
           let le = labels["le"], ExpositionParser.float(le) == nil {
            throw failure("le=\"\(le)\" is not a number")
        }
        if type == .summary && metric == families[i].name, let q = labels["quantile"], ExpositionParser.float(q) == nil {
            throw failure("quantile=\"\(q)\" is not a number")
        }
        if families[i].samples.isEmpty { sampled.insert(families[i].name) }
        families[i].samples.append(ExpositionSample(name: metric, labels: labels, value: value, timestampMs: timestamp))
    }

    mutating func labelSet(into labels: inout [String: String]) throws(SourceError) {
        while true {
            skipBlanks()
            guard at < bytes.count, !atLineEnd else { throw failure("the label set is not closed") }
            if bytes[at] == UInt8(ascii: "}") {
                at += 1
                return
            }
            guard let label = name(colon: false) else { throw failure("a label name was expected") }
            guard label != "__name__" else { throw failure("label name __name__ is reserved") }
            skipBlanks()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "=") else { throw failure("= was expected after \(label)") }
            at += 1
            skipBlanks()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw failure("the value of \(label) must be quoted") }
            at += 1
            // Most values have no escapes: one slice, no byte-by-byte copy.
            let valueStart = at
            while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\"), bytes[at] != UInt8(ascii: "\n") {
                at += 1
            }
            let value: String
            if at < bytes.count && bytes[at] == UInt8(ascii: "\"") {
                value = String(decoding: bytes[valueStart..<at], as: UTF8.self)
                at += 1
            } else {
                value = try escapedValue(from: valueStart, label: label)
            }
            guard labels.updateValue(value, forKey: label) == nil else { throw failure("label \(label) given twice") }
            guard value.utf8.count <= Exposition.maxLabelValueBytes else {
                throw failure("the value of \(label) is over \(Exposition.maxLabelValueBytes) bytes")
            }
            guard labels.count <= Exposition.maxLabels else { throw failure("over \(Exposition.maxLabels) labels on one sample") }
            skipBlanks()
            guard at < bytes.count else { throw failure("the label set is not closed") }
            if bytes[at] == UInt8(ascii: ",") { at += 1 }
            else if bytes[at] != UInt8(ascii: "}") { throw failure(", or } was expected") }
        }
    }

    /// A label value with escapes, from its first byte to past its closing quote.
    mutating func escapedValue(from start: Int, label: String) throws(SourceError) -> String {
        var value = Array(bytes[start..<at])
        while true {
            guard at < bytes.count, bytes[at] != UInt8(ascii: "\n") else { throw failure("the value of \(label) is not closed") }
            let b = bytes[at]
            at += 1
            if b == UInt8(ascii: "\"") { return String(decoding: value, as: UTF8.self) }
            guard b == UInt8(ascii: "\\") else {
                value.append(b)
                continue
            }
            guard at < bytes.count else { throw failure("the value of \(label) is not closed") }
            switch bytes[at] {
            case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
            default: throw failure("\\\(Character(Unicode.Scalar(bytes[at]))) is not an escape a label value may hold")
            }
            at += 1
        }
    }

    /// Go's ParseFloat, as the format uses it: decimals and exponents, `NaN`, `Inf` with an
    /// optional sign (any case).
    static func float(_ text: String) -> Double? {
        // Digits, signs, a point and exponents only: Swift's parser would also take hex
        // floats and "nan(...)", which the format does not have.
        var plain = !text.isEmpty
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default: plain = false
            }
            if !plain { break }
        }
        if plain { return Double(text) }
        switch text.lowercased() {
        case "nan": return .nan
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }

    /// `\\` and `\n` are the escapes a HELP may hold; any other (or a backslash at the
    /// line's end) is an error, as Prometheus has it.
    func unescapeHelp(_ text: String) throws(SourceError) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                guard c == "n" || c == "\\" else { throw failure("\\\(c) is not an escape a HELP may hold") }
                out.append(c == "n" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        guard !escaped else { throw failure("a HELP may not end in a backslash") }
        return out
    }
}

