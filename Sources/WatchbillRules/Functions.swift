#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// Prometheus 2.42's function list, each computed as Prometheus computes it. Native
/// histograms are not collected here, so `histogram_count`, `histogram_sum` and
/// `histogram_fraction` read no series (as in Prometheus over classic buckets).
public enum PromQLFunctions {
    struct Signature {
        var arguments: [ValueType]
        /// How many trailing arguments may be left out.
        var optional = 0
        /// The last argument's type repeats (label_join's source labels).
        var variadic = false
        var returns: ValueType = .vector
    }

    static let signatures: [String: Signature] = {
        let v = ValueType.vector, m = ValueType.matrix, s = ValueType.scalar, str = ValueType.string
        var table: [String: Signature] = [:]
        for name in ["abs", "ceil", "exp", "floor", "ln", "log2", "log10", "sgn", "sqrt", "acos", "acosh", "asin", "asinh", "atan",
                     "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh", "deg", "rad", "absent", "sort", "sort_desc", "timestamp",
                     "histogram_count", "histogram_sum"] {
            table[name] = Signature(arguments: [v])
        }
        for name in ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"] {
            table[name] = Signature(arguments: [v], optional: 1)
        }
        for name in ["rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets", "avg_over_time", "min_over_time",
                     "max_over_time", "sum_over_time", "count_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time",
                     "present_over_time", "absent_over_time"] {
            table[name] = Signature(arguments: [m])
        }
        table["quantile_over_time"] = Signature(arguments: [s, m])
        table["predict_linear"] = Signature(arguments: [m, s])
        table["holt_winters"] = Signature(arguments: [m, s, s])
        table["histogram_quantile"] = Signature(arguments: [s, v])
        table["histogram_fraction"] = Signature(arguments: [s, s, v])
        table["clamp"] = Signature(arguments: [v, s, s])
        table["clamp_min"] = Signature(arguments: [v, s])
        table["clamp_max"] = Signature(arguments: [v, s])
        table["round"] = Signature(arguments: [v, s], optional: 1)
        table["label_replace"] = Signature(arguments: [v, str, str, str, str])
        table["label_join"] = Signature(arguments: [v, str, str, str], optional: 1, variadic: true)
        table["scalar"] = Signature(arguments: [v], returns: .scalar)
        table["vector"] = Signature(arguments: [s])
        table["time"] = Signature(arguments: [], returns: .scalar)
        table["pi"] = Signature(arguments: [], returns: .scalar)
        return table
    }()

    /// Every function name, for messages.
    public static var names: [String] { signatures.keys.sorted() }

    static func call(_ name: String, args: [Expr], at: SourcePosition, time t: Double, evaluator: Evaluator) throws -> Value {
        func fail(_ cause: String) -> ExprError { ExprError(at: at, cause: cause) }
        func vector(_ i: Int) throws -> [Sample] {
            guard case .vector(let v) = try evaluator.evaluate(args[i], at: t) else { throw fail("\(name) needs an instant vector") }
            return v
        }
        func scalar(_ i: Int) throws -> Double {
            guard case .scalar(let v) = try evaluator.evaluate(args[i], at: t) else { throw fail("\(name) needs a number here") }
            return v
        }
        func string(_ i: Int) throws -> String {
            guard case .string(let v) = try evaluator.evaluate(args[i], at: t) else { throw fail("\(name) needs a string here") }
            return v
        }
        /// A range argument's series and the window it covers (for extrapolation).
        func range(_ i: Int) throws -> (series: [RangeSeries], start: Double, end: Double) {
            var e = args[i]
            while case .paren(let inner) = e { e = inner }
            switch e {
            case .selector(let s):
                let end = Evaluator.readTime(s.at, s.offset, t)
                return (evaluator.rangeRead(s, from: end - (s.range ?? 0), to: end), end - (s.range ?? 0), end)
            case .subquery(let inner, let r, let step, let offset, let atTime):
                let end = Evaluator.readTime(atTime, offset, t)
                return (try evaluator.subquery(inner, from: end - r, to: end, step: step ?? evaluator.defaultStep), end - r, end)
            default:
                throw fail("\(name) needs a range vector like metric[5m]")
            }
        }
        /// Each series' points to one value (nil drops the series), the name dropped.
        func overTime(_ f: ([RangeSeries.Point]) -> Double?) throws -> Value {
            .vector(try range(0).series.compactMap { r in f(r.points).map { Sample(labels: r.labels.withoutName, value: $0) } })
        }
        /// Each sample's value mapped, the name dropped.
        func each(_ f: (Double) -> Double) throws -> Value {
            .vector(try vector(0).map { Sample(labels: $0.labels.withoutName, value: f($0.value)) })
        }
        /// A date function: of the argument's values as Unix times, or of now.
        func date(_ f: (tm) -> Double) throws -> Value {
            let samples = args.isEmpty ? [Sample(labels: Labels(), value: t)] : try vector(0)
            return .vector(samples.map { s in
                guard s.value.isFinite, abs(s.value) < 1e15 else { return Sample(labels: s.labels.withoutName, value: .nan) }
                var seconds = time_t(s.value.rounded(.down))
                var parts = tm()
                gmtime_r(&seconds, &parts)
                return Sample(labels: s.labels.withoutName, value: f(parts))
            })
        }

        switch name {
        case "rate", "increase", "delta":
            let (series, end) = try { let r = try range(0); return (r.series, r.end) }()
            // A window reaching back before the dashboard started collecting is measured
            // over what it collected: a 5m rate of 15 s of idle counters is not 5% idle.
            // Prometheus has no such start; a rule test gets its semantics unchanged.
            let start = max(try range(0).start, evaluator.source.coveredSince ?? -.infinity)
            return .vector(series.compactMap { r in
                extrapolatedDelta(r.points, start: start, end: end, isCounter: name != "delta", isRate: name == "rate")
                    .map { Sample(labels: r.labels.withoutName, value: $0) }
            })
        case "irate", "idelta":
            return try overTime { p in
                guard p.count >= 2 else { return nil }
                let last = p[p.count - 1], previous = p[p.count - 2]
                var value = last.v - previous.v
                if name == "idelta" { return value }
                if last.v < previous.v { value = last.v }
                let seconds = last.t - previous.t
                return seconds > 0 ? value / seconds : nil
            }
        case "deriv":
            return try overTime { p in p.count >= 2 ? linearRegression(p, at: p[0].t).slope : nil }
        case "predict_linear":
            let ahead = try scalar(1)
            return try overTime { p in
                guard p.count >= 2 else { return nil }
                let (slope, intercept) = linearRegression(p, at: t)
                return slope * ahead + intercept
            }
        case "changes":
            return try overTime { p in
                var n = 0.0
                for i in p.indices.dropFirst() where p[i].v != p[i - 1].v && !(p[i].v.isNaN && p[i - 1].v.isNaN) { n += 1 }
                return n
            }
        case "resets":
            return try overTime { p in Double(p.indices.dropFirst().filter { p[$0].v < p[$0 - 1].v }.count) }
        case "holt_winters":
            let sf = try scalar(1), tf = try scalar(2)
            guard sf > 0, sf < 1 else { throw fail("invalid smoothing factor. Expected: 0 < sf < 1, got: \(sf)") }
            guard tf > 0, tf < 1 else { throw fail("invalid trend factor. Expected: 0 < tf < 1, got: \(tf)") }
            return try overTime { p in holtWinters(p.map(\.v), sf, tf) }
        case "avg_over_time":
            return try overTime { p in Aggregation.value(.avg, p.map(\.v)) }
        case "sum_over_time":
            return try overTime { p in p.reduce(0) { $0 + $1.v } }
        case "count_over_time":
            return try overTime { p in Double(p.count) }
        case "max_over_time":
            return try overTime { p in Aggregation.value(.max, p.map(\.v)) }
        case "min_over_time":
            return try overTime { p in Aggregation.value(.min, p.map(\.v)) }
        case "stddev_over_time":
            return try overTime { p in Aggregation.value(.stddev, p.map(\.v)) }
        case "stdvar_over_time":
            return try overTime { p in Aggregation.value(.stdvar, p.map(\.v)) }
        case "present_over_time":
            return try overTime { _ in 1 }
        case "last_over_time":
            // The one function over time that keeps the name.
            return .vector(try range(0).series.compactMap { r in r.points.last.map { Sample(labels: r.labels, value: $0.v) } })
        case "quantile_over_time":
            let q = try scalar(0)
            return .vector(try range(1).series.compactMap { r in
                quantile(q, r.points.map(\.v)).map { Sample(labels: r.labels.withoutName, value: $0) }
            })
        case "absent", "absent_over_time":
            let empty: Bool
            if name == "absent" { empty = try vector(0).isEmpty } else { empty = try range(0).series.isEmpty }
            guard empty else { return .vector([]) }
            return .vector([Sample(labels: absentLabels(args[0]), value: 1)])
        case "abs": return try each { Swift.abs($0) }
        case "ceil": return try each { Glibc.ceil($0) }
        case "floor": return try each { Glibc.floor($0) }
        case "exp": return try each { Glibc.exp($0) }
        case "sqrt": return try each { $0.squareRoot() }
        case "ln": return try each { Glibc.log($0) }
        case "log2": return try each { Glibc.log2($0) }
        case "log10": return try each { Glibc.log10($0) }
        case "sgn": return try each { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 }
        case "acos": return try each { Glibc.acos($0) }
        case "acosh": return try each { Glibc.acosh($0) }
        case "asin": return try each { Glibc.asin($0) }
        case "asinh": return try each { Glibc.asinh($0) }
        case "atan": return try each { Glibc.atan($0) }
        case "atanh": return try each { Glibc.atanh($0) }
        case "cos": return try each { Glibc.cos($0) }
        case "cosh": return try each { Glibc.cosh($0) }
        case "sin": return try each { Glibc.sin($0) }
        case "sinh": return try each { Glibc.sinh($0) }
        case "tan": return try each { Glibc.tan($0) }
        case "tanh": return try each { Glibc.tanh($0) }
        case "deg": return try each { $0 * 180 / .pi }
        case "rad": return try each { $0 * .pi / 180 }
        case "pi": return .scalar(.pi)
        case "round":
            let nearest = args.count > 1 ? try scalar(1) : 1
            let inverse = 1 / nearest
            return try each { Glibc.floor($0 * inverse + 0.5) / inverse }
        case "clamp":
            let low = try scalar(1), high = try scalar(2)
            if high < low { return .vector([]) }
            return try each { Swift.max(low, Swift.min(high, $0)) }
        case "clamp_min":
            let low = try scalar(1)
            return try each { Swift.max(low, $0) }
        case "clamp_max":
            let high = try scalar(1)
            return try each { Swift.min(high, $0) }
        case "day_of_month": return try date { Double($0.tm_mday) }
        case "day_of_week": return try date { Double($0.tm_wday) }
        case "day_of_year": return try date { Double($0.tm_yday + 1) }
        case "hour": return try date { Double($0.tm_hour) }
        case "minute": return try date { Double($0.tm_min) }
        case "month": return try date { Double($0.tm_mon + 1) }
        case "year": return try date { Double($0.tm_year + 1900) }
        case "days_in_month":
            return try date { p in
                let year = Int(p.tm_year) + 1900, month = Int(p.tm_mon) + 1
                if month == 2 { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28 }
                return [4, 6, 9, 11].contains(month) ? 30 : 31
            }
        case "sort", "sort_desc":
            let v = try vector(0)
            return .vector(v.sorted { a, b in
                if a.value.isNaN { return false }
                if b.value.isNaN { return true }
                return name == "sort" ? a.value < b.value : a.value > b.value
            })
        case "timestamp":
            // A selector's own sample times; anything else was computed now.
            var e = args[0]
            while case .paren(let inner) = e { e = inner }
            if case .selector(let s) = e, s.range == nil {
                let end = Evaluator.readTime(s.at, s.offset, t)
                return .vector(evaluator.source.latest(matching: s.allMatchers, at: end, lookback: evaluator.lookback).compactMap { l in
                    SeriesNotation.isStale(l.point.v) ? nil : Sample(labels: l.labels.withoutName, value: l.point.t)
                })
            }
            return try each { _ in t }
        case "scalar":
            let v = try vector(0)
            return .scalar(v.count == 1 ? v[0].value : .nan)
        case "vector":
            return .vector([Sample(labels: Labels(), value: try scalar(0))])
        case "time":
            return .scalar(t)
        case "histogram_quantile":
            let q = try scalar(0)
            var order: [Labels] = []
            var buckets: [Labels: [(upperBound: Double, count: Double)]] = [:]
            for s in try vector(1) {
                guard let le = s.labels["le"], let bound = Double(le.lowercased() == "+inf" ? "inf" : le) else { continue }
                let key = s.labels.dropping(["le", "__name__"])
                if buckets[key] == nil { order.append(key) }
                buckets[key, default: []].append((bound, s.value))
            }
            return .vector(order.map { Sample(labels: $0, value: BucketQuantile.quantile(q, buckets[$0]!)) })
        case "histogram_count", "histogram_sum", "histogram_fraction":
            return .vector([])
        case "label_replace":
            return .vector(try labelReplace(try vector(0), destination: try string(1), replacement: try string(2),
                                            source: try string(3), pattern: try string(4), fail: fail))
        case "label_join":
            let destination = try string(1), separator = try string(2)
            let sources = try (3..<args.count).map { try string($0) }
            guard Lexer.isLabelName(destination) else { throw fail("invalid destination label name in label_join(): \(destination)") }
            return .vector(try vector(0).map { s in
                var labels = s.labels
                labels[destination] = sources.map { s.labels[$0] ?? "" }.joined(separator: separator)
                return Sample(labels: labels, value: s.value)
            })
        default:
            throw fail("unknown function '\(name)'")
        }
    }

    /// `absent(x{a="b"})`: the equality matchers' labels (not the name), when there is only one per name.
    static func absentLabels(_ e: Expr) -> Labels {
        var inner = e
        while case .paren(let x) = inner { inner = x }
        guard case .selector(let s) = inner else { return Labels() }
        var labels = Labels()
        var seen: [String: Int] = [:]
        for m in s.matchers { seen[m.name, default: 0] += 1 }
        for m in s.matchers where m.kind == .equal && m.name != "__name__" && seen[m.name] == 1 { labels[m.name] = m.value }
        return labels
    }

    static func labelReplace(_ v: [Sample], destination: String, replacement: String, source: String, pattern: String,
                             fail: (String) -> ExprError) throws -> [Sample] {
        let regex: Regex<AnyRegexOutput>
        do { regex = try Regex("^(?:" + pattern + ")$") } catch { throw fail("invalid regular expression in label_replace(): \(pattern)") }
        guard Lexer.isLabelName(destination) else { throw fail("invalid destination label name in label_replace(): \(destination)") }
        return v.map { s in
            let value = s.labels[source] ?? ""
            guard let match = try? regex.wholeMatch(in: value) else { return s }
            var labels = s.labels
            labels[destination] = expand(replacement, match)
            return Sample(labels: labels, value: s.value)
        }
    }

    /// Go's `Regexp.ExpandString`: `$1`, `${1}`, `$name`, `${name}`, `$$`; an unknown group is empty.
    static func expand(_ template: String, _ match: Regex<AnyRegexOutput>.Match) -> String {
        var out = ""
        var i = template.startIndex
        func isName(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
        func group(_ name: Substring) -> String {
            // As Go reads a group's number: digits, no leading zero, under 1e8; else it is a name.
            if name.allSatisfy(\.isASCII), name.allSatisfy(\.isNumber), name.count < 9, name == "0" || name.first != "0",
               let n = Int(name) {
                return n < match.output.count ? match.output[n].substring.map(String.init) ?? "" : ""
            }
            return match.output[String(name)]?.substring.map(String.init) ?? ""
        }
        while i < template.endIndex {
            let c = template[i]
            guard c == "$", template.index(after: i) < template.endIndex else {
                out.append(c)
                i = template.index(after: i)
                continue
            }
            var j = template.index(after: i)
            if template[j] == "$" {
                out.append("$")
                i = template.index(after: j)
                continue
            }
            // `${...}` with no name Go accepts inside is text, its `$` kept.
            if template[j] == "{", let close = template[j...].firstIndex(of: "}"), isName(template[template.index(after: j)..<close]) {
                out += group(template[template.index(after: j)..<close])
                i = template.index(after: close)
                continue
            }
            let start = j
            while j < template.endIndex, template[j].isLetter || template[j].isNumber || template[j] == "_" { j = template.index(after: j) }
            if start == j {
                out.append("$")
                i = start
            } else {
                out += group(template[start..<j])
                i = j
            }
        }
        return out
    }

    /// Prometheus' `extrapolatedRate`: the change over the samples (counter resets added back
    /// for counters), extrapolated to the window's edges when the first and last samples are
    /// close to them, a counter never below zero at the start.
    static func extrapolatedDelta(_ p: [RangeSeries.Point], start: Double, end: Double, isCounter: Bool, isRate: Bool) -> Double? {
        guard p.count >= 2 else { return nil }
        var delta = p.last!.v - p.first!.v
        if isCounter {
            for i in 1..<p.count where p[i].v < p[i - 1].v { delta += p[i - 1].v }
        }
        let sampled = p.last!.t - p.first!.t
        guard sampled > 0 else { return nil }
        var toStart = p.first!.t - start
        let toEnd = end - p.last!.t
        let average = sampled / Double(p.count - 1)
        if isCounter && delta > 0 && p.first!.v >= 0 {
            let toZero = sampled * (p.first!.v / delta)
            if toZero < toStart { toStart = toZero }
        }
        let threshold = average * 1.1
        var interval = sampled
        interval += toStart < threshold ? toStart : average / 2
        interval += toEnd < threshold ? toEnd : average / 2
        let value = delta * (interval / sampled)
        return isRate ? value / (end - start) : value
    }

    /// Prometheus' quantile: linear interpolation between the two nearest ranks.
    static func quantile(_ q: Double, _ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let v = values.sorted()
        let rank = q * Double(v.count - 1)
        let lower = Int(rank.rounded(.down)), upper = min(lower + 1, v.count - 1)
        let weight = rank - Double(lower)
        return v[lower] * (1 - weight) + v[upper] * weight
    }

    /// Least squares over the points, time measured from `at`: slope per second and the
    /// value at `at`.
    static func linearRegression(_ p: [RangeSeries.Point], at: Double) -> (slope: Double, intercept: Double) {
        var n = 0.0, sumX = 0.0, sumY = 0.0, sumXY = 0.0, sumX2 = 0.0
        var constY = true
        let initY = p[0].v
        for point in p {
            let x = point.t - at
            n += 1
            sumX += x
            sumY += point.v
            sumXY += x * point.v
            sumX2 += x * x
            if point.v != initY { constY = false }
        }
        if constY { return initY.isInfinite ? (.nan, .nan) : (0, initY) }
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }

    /// Prometheus' `holt_winters`: double exponential smoothing, the last smoothed value.
    static func holtWinters(_ v: [Double], _ sf: Double, _ tf: Double) -> Double? {
        guard v.count >= 2 else { return nil }
        var s0 = 0.0, s1 = v[0], b = v[1] - v[0]
        for i in 1..<v.count {
            let x = sf * v[i]
            if i > 1 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            s0 = s1
            s1 = x + y
        }
        return s1
    }
}
