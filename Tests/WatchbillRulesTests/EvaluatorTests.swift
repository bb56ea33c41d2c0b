import Testing
@testable import WatchbillRules

/// Series held in memory, for tests.
struct MemorySource: SeriesSource {
    var all: [RangeSeries]
    init(_ all: [RangeSeries]) { self.all = all }

    func series(matching m: [LabelMatcher], in range: ClosedRange<Double>) -> [RangeSeries] {
        all.filter { s in m.allSatisfy { $0.matches(s.labels) } }
            .map { RangeSeries(labels: $0.labels, points: $0.points.filter { range.contains($0.t) }) }
    }
}

func series(_ labels: [String: String], _ points: [(Double, Double)]) -> RangeSeries {
    RangeSeries(labels: Labels(labels), points: points.map { RangeSeries.Point($0.0, $0.1) })
}

struct EvaluatorTests {
    let t = 10_000.0

    func eval(_ text: String, _ source: [RangeSeries], at time: Double? = nil) throws -> [Sample] {
        switch try Evaluator(source: MemorySource(source)).evaluate(try Parser.parse(text), at: time ?? t) {
        case .vector(let v): return v.sorted { $0.labels.description < $1.labels.description }
        case .scalar(let s): return [Sample(labels: Labels(), value: s)]
        default: return []
        }
    }

    /// A counter going up 1 a second, sampled every 15 s.
    var counter: RangeSeries {
        var points: [(Double, Double)] = []
        for i in 0...40 { points.append((t - 600 + Double(i) * 15, 1000 + Double(i) * 15)) }
        return series(["__name__": "requests_total", "job": "api"], points)
    }

    @Test func instantSelectorsLookBackFiveMinutes() throws {
        let fresh = series(["__name__": "up", "job": "a"], [(t - 240, 1)])
        let stale = series(["__name__": "up", "job": "b"], [(t - 360, 1)])
        let r = try eval("up", [fresh, stale])
        #expect(r.map { $0.labels["job"] } == ["a"])
        #expect(r[0].labels.metricName == "up")
    }

    @Test func rateAndIncreaseExtrapolateLikePrometheus() throws {
        // [1m] at t holds t-45, t-30, t-15, t: 45 over 45 s, extrapolated 15 s to the start.
        #expect(try eval("rate(requests_total[1m])", [counter]).first?.value == 1)
        #expect(try eval("increase(requests_total[1m])", [counter]).first?.value == 60)
        // The metric name goes; the other labels stay.
        #expect(try eval("rate(requests_total[5m])", [counter]).first?.labels == Labels(["job": "api"]))
    }

    @Test func counterResetsAreAddedBack() throws {
        let reset = series(["__name__": "c"], [(t - 45, 100), (t - 30, 110), (t - 15, 5), (t, 15)])
        // 15 - 100 + 110 (the value before the reset) = 25 over 45 s, extrapolated to 60 s.
        let v = try eval("increase(c[1m])", [reset]).first?.value ?? 0
        #expect(abs(v - 25.0 * 60 / 45) < 1e-9)
    }

    @Test func overTimeFunctions() throws {
        let g = series(["__name__": "g"], [(t - 30, 1), (t - 20, 4), (t - 10, 2), (t, 3)])
        #expect(try eval("avg_over_time(g[1m])", [g]).first?.value == 2.5)
        #expect(try eval("max_over_time(g[1m])", [g]).first?.value == 4)
        #expect(try eval("min_over_time(g[25s])", [g]).first?.value == 2)
        #expect(try eval("quantile_over_time(0.5, g[1m])", [g]).first?.value == 2.5)
        #expect(try eval("quantile_over_time(0.9, g[1m])", [g]).first?.value == 3.7000000000000002)
    }

    @Test func predictLinearFillsTheDisk() throws {
        // 100 GB free, falling 1 GB an hour, sampled every minute for the last hour.
        var points: [(Double, Double)] = []
        for minute in 0...60 {
            let m = Double(minute)
            points.append((t - 3600 + m * 60, 100e9 - m * 1e9 / 60))
        }
        let free = series(["__name__": "avail", "mountpoint": "/"], points)
        let now = try #require(try eval("predict_linear(avail[1h], 0)", [free]).first?.value)
        let later = try #require(try eval("predict_linear(avail[1h], 4 * 3600)", [free]).first?.value)
        #expect(abs(now - 99e9) < 1)
        #expect(abs(later - 95e9) < 1)
        #expect(try eval("predict_linear(avail[1h], 4 * 3600) < 96e9", [free]).count == 1)
    }

    @Test func absentGivesTheMatchersLabels() throws {
        #expect(try eval("absent(up{job=\"db\"})", [series(["__name__": "up", "job": "api"], [(t, 1)])])
            == [Sample(labels: Labels(["job": "db"]), value: 1)])
        #expect(try eval("absent(up)", [series(["__name__": "up"], [(t, 1)])]).isEmpty)
    }

    @Test func aggregationsGroupByAndWithout() throws {
        let cpus = (0..<4).map { i in
            series(["__name__": "busy", "cpu": "\(i)", "host": i < 2 ? "a" : "b"], [(t, Double(i + 1))])
        }
        #expect(try eval("sum(busy)", cpus).map(\.value) == [10])
        #expect(try eval("sum by (host) (busy)", cpus) == [Sample(labels: Labels(["host": "a"]), value: 3),
                                                         Sample(labels: Labels(["host": "b"]), value: 7)])
        #expect(try eval("max without (cpu) (busy)", cpus).map(\.value) == [2, 4])
        #expect(try eval("count(busy > 2)", cpus).map(\.value) == [2])
        #expect(try eval("avg(busy)", cpus).map(\.value) == [2.5])
    }

    @Test func binaryOperatorsMatchOnLabels() throws {
        let avail = [series(["__name__": "avail", "mountpoint": "/"], [(t, 5)]), series(["__name__": "avail", "mountpoint": "/data"], [(t, 50)])]
        let size = [series(["__name__": "size", "mountpoint": "/"], [(t, 100)]), series(["__name__": "size", "mountpoint": "/data"], [(t, 100)])]
        let used = try eval("1 - avail / size", avail + size)
        #expect(used.map(\.value) == [0.95, 0.5])
        #expect(used.allSatisfy { $0.labels.metricName == nil })
        // A comparison filters and keeps the left side's value and name; `bool` gives 0 or 1.
        let full = try eval("avail / size < 0.1", avail + size)
        #expect(full.count == 1 && full[0].labels["mountpoint"] == "/" && full[0].value == 0.05)
        #expect(try eval("avail > bool 10", avail).map(\.value) == [0, 1])
        #expect(try eval("avail > 10", avail).map { $0.labels.metricName } == ["avail"])
        // Set operators.
        #expect(try eval("avail and avail > 10", avail).map(\.value) == [50])
        #expect(try eval("avail unless avail > 10", avail).map(\.value) == [5])
        #expect(try eval("(avail > 10) or size", avail + size).count == 2)
    }

    /// Lists of names and prefixes take the fast path; everything else the regex engine;
    /// both anchored at both ends, as PromQL's are.
    @Test func regexMatchersAreAnchored() throws {
        let fs = ["ext4", "tmpfs", "overlay", "xfs", "tmpfs2"].map { series(["__name__": "f", "fstype": $0], [(t, 1)]) }
        func kinds(_ q: String) throws -> [String] { try eval(q, fs).compactMap { $0.labels["fstype"] }.sorted() }
        #expect(try kinds(#"f{fstype!~"tmpfs|overlay"}"#) == ["ext4", "tmpfs2", "xfs"])
        #expect(try kinds(#"f{fstype=~"tmp.*"}"#) == ["tmpfs", "tmpfs2"])
        #expect(try kinds(#"f{fstype=~".*"}"#).count == 5)
        #expect(try kinds(#"f{fstype=~"x[a-z]s|ext[0-9]"}"#) == ["ext4", "xfs"])
        #expect(try kinds(#"f{fstype=~"mpfs"}"#).isEmpty)  // not a substring match
        // An absent label is the empty string: `=~""` matches it.
        #expect(try eval(#"f{missing=~""}"#, fs).count == 5)
    }

    @Test func manyToManyIsAnError() {
        let twice = [series(["__name__": "a", "x": "1", "y": "1"], [(t, 1)])]
        let dup = [series(["__name__": "b", "x": "1", "y": "1", "z": "1"], [(t, 1)]), series(["__name__": "c", "x": "1", "y": "1", "z": "1"], [(t, 2)])]
        #expect(throws: ExprError.self) { try eval("a + {z=\"1\"}", twice + dup) }
    }
}
