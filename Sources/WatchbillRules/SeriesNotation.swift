/// promtool's expanding notation for test series: `1+2x3` is `1 3 5 7`, `5-1x2` is
/// `5 4 3`, `7x2` is `7 7 7`, `_` is a missing sample (`_x3`: three), `stale` ends the
/// series until its next value.
public enum SeriesNotation {
    /// Prometheus' staleness marker: a NaN with this bit pattern.
    public static let stale = Double(bitPattern: 0x7FF0_0000_0000_0002)

    public static func isStale(_ v: Double) -> Bool { v.bitPattern == stale.bitPattern }

    /// The most samples one series expands to: `1x99999999` would take gigabytes and
    /// minutes; a rule test never needs a million steps.
    public static let maxSamples = 1_000_000

    /// One value per step; nil where a sample is missing.
    public static func expand(_ text: String) throws -> [Double?] {
        var out: [Double?] = []
        func room(for n: Int, _ w: String) throws {
            guard n <= maxSamples - out.count else {
                throw ExprError(at: SourcePosition(line: 1, column: 1),
                                cause: "'\(w)' makes the series longer than \(maxSamples) samples")
            }
        }
        for word in text.split(separator: " ") {
            let w = String(word)
            if w == "_" { out.append(nil); continue }
            if w == "stale" { out.append(stale); continue }
            if w.hasPrefix("_x"), let n = Int(w.dropFirst(2)), n >= 0 {
                try room(for: n, w)
                out += Array(repeating: nil, count: n)
                continue
            }
            if let v = number(w) {
                try room(for: 1, w)
                out.append(v)
                continue
            }
            // `x5` has no value before the x.
            guard let x = w.lastIndex(of: "x"), x > w.startIndex, let n = Int(w[w.index(after: x)...]), n >= 0 else {
                throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "'\(w)' is not a value, '_', 'stale' or 'a+bxn'")
            }
            try room(for: n < Int.max ? n + 1 : n, w)
            let head = w[..<x]
            // The sign of the step is the last + or - that is not the value's own sign.
            var split: String.Index?
            var i = head.index(before: head.endIndex)
            while i > head.startIndex {
                if head[i] == "+" || head[i] == "-", head[head.index(before: i)] != "e" { split = i; break }
                i = head.index(before: i)
            }
            let start: Double, step: Double
            if let split {
                guard let a = number(String(head[..<split])), let b = number(String(head[head.index(after: split)...])) else {
                    throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "'\(w)' is not 'a+bxn'")
                }
                start = a
                step = head[split] == "+" ? b : -b
            } else {
                guard let a = number(String(head)) else { throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "'\(w)' is not 'axn'") }
                start = a
                step = 0
            }
            for k in 0...n { out.append(start + Double(k) * step) }
        }
        return out
    }

    public static func number(_ s: String) -> Double? {
        switch s.lowercased() {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        // Swift reads "0x6" as hexadecimal; in this notation it is "0, six more times".
        default: return s.contains(where: { $0 == "x" || $0 == "X" || $0 == "p" || $0 == "P" }) ? nil : Double(s)
        }
    }
}

/// Series fixed in memory: promtool-style test input, and the tests' own data.
public struct StaticSeriesSource: SeriesSource, Sendable {
    public var all: [RangeSeries]
    public init(_ all: [RangeSeries]) { self.all = all }

    public func series(matching m: [LabelMatcher], in range: ClosedRange<Double>) -> [RangeSeries] {
        all.filter { s in m.allSatisfy { $0.matches(s.labels) } }
            .map { RangeSeries(labels: $0.labels, points: $0.points.filter { range.contains($0.t) }) }
    }
}
