/// The functions of the subset, computed as Prometheus computes them.
enum Functions {
    static func call(_ name: String, args: [Expr], at: SourcePosition, time t: Double, evaluator: Evaluator) throws -> Value {
        func matrix(_ e: Expr) throws -> [RangeSeries] {
            guard case .matrix(let m) = try evaluator.evaluate(e, at: t) else {
                throw ExprError(at: at, cause: "\(name) needs a range vector like metric[5m]")
            }
            return m
        }
        func scalar(_ e: Expr) throws -> Double {
            guard case .scalar(let v) = try evaluator.evaluate(e, at: t) else {
                throw ExprError(at: at, cause: "\(name) needs a number here")
            }
            return v
        }
        func rangeOf(_ e: Expr) -> Double {
            if case .selector(let s) = e, let r = s.range { return r }
            if case .paren(let inner) = e { return rangeOf(inner) }
            return 0
        }
        func each(_ m: [RangeSeries], _ f: ([RangeSeries.Point]) -> Double?) -> Value {
            .vector(m.compactMap { r in f(r.points).map { Sample(labels: r.labels.withoutName, value: $0) } })
        }
        switch name {
        case "rate", "increase":
            // A window reaching back before the dashboard started collecting is measured
            // over what it collected: a 5m rate of 15 s of idle counters is not 5% idle.
            // Prometheus has no such start; a rule test gets its semantics unchanged.
            let start = max(t - rangeOf(args[0]), evaluator.source.coveredSince ?? -.infinity)
            return each(try matrix(args[0])) { extrapolatedDelta($0, start: start, end: t, isRate: name == "rate") }
        case "avg_over_time":
            return each(try matrix(args[0])) { p in p.reduce(0) { $0 + $1.v } / Double(p.count) }
        case "max_over_time":
            return each(try matrix(args[0])) { p in p.map(\.v).max() }
        case "min_over_time":
            return each(try matrix(args[0])) { p in p.map(\.v).min() }
        case "quantile_over_time":
            let q = try scalar(args[0])
            return each(try matrix(args[1])) { p in quantile(q, p.map(\.v)) }
        case "predict_linear":
            let ahead = try scalar(args[1])
            return each(try matrix(args[0])) { p in
                guard p.count >= 2 else { return nil }
                let (slope, intercept) = linearRegression(p, at: t)
                return slope * ahead + intercept
            }
        case "time":
            return .scalar(t)
        case "absent":
            guard case .vector(let v) = try evaluator.evaluate(args[0], at: t) else {
                throw ExprError(at: at, cause: "absent needs an instant vector")
            }
            guard v.isEmpty else { return .vector([]) }
            var labels = Labels()
            if case .selector(let s) = args[0] {
                for m in s.matchers where m.kind == .equal { labels[m.name] = m.value }
            }
            return .vector([Sample(labels: labels, value: 1)])
        default:
            throw ExprError(at: at, cause: "function '\(name)' is not in Watchbill's PromQL subset")
        }
    }

    /// Prometheus' `extrapolatedRate`: the increase over the samples (counter resets
    /// added back), extrapolated to the window's edges when the first and last samples are
    /// close to them, never below zero at the start.
    static func extrapolatedDelta(_ p: [RangeSeries.Point], start: Double, end: Double, isRate: Bool) -> Double? {
        guard p.count >= 2 else { return nil }
        var delta = p.last!.v - p.first!.v
        for i in 1..<p.count where p[i].v < p[i - 1].v { delta += p[i - 1].v }
        let sampled = p.last!.t - p.first!.t
        guard sampled > 0 else { return nil }
        var toStart = p.first!.t - start
        let toEnd = end - p.last!.t
        let average = sampled / Double(p.count - 1)
        if delta > 0 && p.first!.v >= 0 {
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

    /// Least squares over the points with time measured from `t`, so the intercept is the
    /// fitted value now (as Prometheus' predict_linear).
    static func linearRegression(_ p: [RangeSeries.Point], at t: Double) -> (slope: Double, intercept: Double) {
        var n = 0.0, sumX = 0.0, sumY = 0.0, sumXY = 0.0, sumX2 = 0.0
        for point in p {
            let x = point.t - t
            n += 1
            sumX += x
            sumY += point.v
            sumXY += x * point.v
            sumX2 += x * x
        }
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        guard varX != 0 else { return (0, sumY / n) }
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }
}
