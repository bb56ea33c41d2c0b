#if canImport(Glibc)
import Glibc
#endif

/// PromQL's aggregations, computed as Prometheus 2.42 computes them: groups by `by` labels
/// or by all but the `without` ones (the name always dropped then); `topk` and `bottomk`
/// keep whole series; `count_values` adds its label; `stddev`/`stdvar` are the population's.
enum Aggregation {
    static func apply(_ op: AggregateOp, grouping: Grouping, parameter: Value?, to samples: [Sample]) throws -> [Sample] {
        func key(_ labels: Labels) -> Labels {
            switch grouping {
            case .none: return Labels()
            case .by(let names): return labels.keeping(Set(names))
            case .without(let names): return labels.dropping(Set(names).union(["__name__"]))
            }
        }
        var order: [Labels] = []
        var groups: [Labels: [Sample]] = [:]
        func add(_ k: Labels, _ s: Sample) {
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(s)
        }
        if op == .countValues {
            guard case .string(let label)? = parameter, Lexer.isLabelName(label) else {
                throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "count_values needs a valid label name")
            }
            for s in samples {
                var k = key(s.labels)
                k[label] = formatted(s.value)
                add(k, s)
            }
            return order.map { Sample(labels: $0, value: Double(groups[$0]!.count)) }
        }
        for s in samples { add(key(s.labels), s) }
        let scalar: Double? = if case .scalar(let v)? = parameter { v } else { nil }
        switch op {
        case .topk, .bottomk:
            // k as Prometheus takes it: the integer part, nothing for k < 1.
            guard let k = scalar, k >= 1 else { return [] }
            let keep = k >= 1e9 ? Int.max : Int(k)
            return order.flatMap { g -> [Sample] in
                let sorted = groups[g]!.sorted { a, b in
                    // NaN sorts last for both.
                    if a.value.isNaN { return false }
                    if b.value.isNaN { return true }
                    return op == .topk ? a.value > b.value : a.value < b.value
                }
                return Array(sorted.prefix(keep))
            }
        case .quantile:
            let q = scalar ?? .nan
            return order.map { Sample(labels: $0, value: PromQLFunctions.quantile(q, groups[$0]!.map(\.value)) ?? .nan) }
        default:
            return order.map { g in Sample(labels: g, value: value(op, groups[g]!.map(\.value))) }
        }
    }

    static func value(_ op: AggregateOp, _ v: [Double]) -> Double {
        switch op {
        case .sum: return v.reduce(0, +)
        case .avg:
            // Prometheus' running mean: the same rounding as its own.
            var mean = 0.0, count = 0.0
            for x in v {
                count += 1
                if mean.isInfinite && x.isInfinite && (mean > 0) == (x > 0) { continue }
                mean += x / count - mean / count
            }
            return mean
        case .min: return v.reduce(Double.nan) { m, x in m.isNaN || x < m ? x : m }
        case .max: return v.reduce(Double.nan) { m, x in m.isNaN || x > m ? x : m }
        case .count: return Double(v.count)
        case .group: return 1
        case .stddev, .stdvar:
            var mean = 0.0, sum = 0.0, count = 0.0
            for x in v {
                count += 1
                let delta = x - mean
                mean += delta / count
                sum += delta * (x - mean)
            }
            return op == .stddev ? (sum / count).squareRoot() : sum / count
        case .topk, .bottomk, .quantile, .countValues: return .nan
        }
    }

    /// A value as Go's `strconv.FormatFloat(v, 'f', -1, 64)` writes it (count_values' label).
    static func formatted(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        // Swift's shortest form, with its exponent (1e-05, 1.5e+20) written out as Go's 'f' does.
        let text = "\(v)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]) else { return text }
        let negative = text.hasPrefix("-")
        let mantissa = text[..<e].filter { $0 != "-" }
        let point = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = mantissa.filter { $0 != "." }
        var at = point + exponent
        if at <= 0 { digits = String(repeating: "0", count: 1 - at) + digits; at = 1 }
        if at >= digits.count { digits += String(repeating: "0", count: at - digits.count) }
        var s = String(digits.prefix(at)) + (at < digits.count ? "." + digits.dropFirst(at) : "")
        if negative { s = "-" + s }
        return s
    }
}
