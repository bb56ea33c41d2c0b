import Testing
@testable import WatchbillRules

/// Numbers a rule file, a rule test or a query may hold that no clock or count can: refused
/// with a cause, or read as Go and Prometheus read them, never a trap.
@Suite struct OutsideValuesRulesTests {
    func parseError(_ text: String) -> String? {
        do { _ = try Parser.parse(text); return nil } catch { return (error as? ExprError)?.cause ?? "\(error)" }
    }

    /// Prometheus' bounds, found by asking promtool: a duration to int64 nanoseconds, an
    /// `@` below 2^63 seconds.
    @Test func timesAndDurationsAsPrometheusBoundsThem() {
        #expect(parseError("up @ 1e300") == "timestamp out of bounds for @ modifier")
        #expect(parseError("up @ 1e19") == "timestamp out of bounds for @ modifier")
        #expect(parseError("up @ 1e18") == nil)
        #expect(parseError("max_over_time(up[9223372036854775807y:1m])") == "duration out of range")
        #expect(parseError("rate(up[292y])") == nil && parseError("rate(up[106751d])") == nil)
        #expect(parseError("rate(up[293y])") == "duration out of range" && parseError("rate(up[106752d])") == "duration out of range")
        // An @ that far off is refused when evaluated, where its milliseconds are needed.
        #expect(throws: ExprError.self) {
            try Evaluator(source: StaticSeriesSource([])).evaluate(try Parser.parse("max_over_time(up[1h:1m] @ 1e18)"), at: 0)
        }
        // A subquery whose times are within a year's range of int64 but far off still answers.
        let e = Evaluator(source: StaticSeriesSource([]))
        #expect(throws: Never.self) { try e.evaluate(try Parser.parse("max_over_time(up[1h:1m] @ 9e12)"), at: 0) }
    }

    @Test func labelReplaceGroupsAsGoReadsThem() throws {
        let up = RangeSeries(labels: Labels(["__name__": "up", "job": "api"]), points: [RangeSeries.Point(0, 1)])
        func replaced(_ replacement: String) throws -> String? {
            let q = "label_replace(up, \"x\", \"\(replacement)\", \"job\", \"(a)(p)i\")"
            guard case .vector(let v) = try Evaluator(source: StaticSeriesSource([up])).evaluate(try Parser.parse(q), at: 0) else { return nil }
            return v.first?.labels["x"]
        }
        #expect(try replaced("${-1}") == "${-1}")
        #expect(try replaced("${2}-$1") == "p-a")
        // A leading zero makes a name, not a number (no such group: empty).
        #expect(try replaced("[${01}]") == "[]")
    }

    @Test func aSeriesTooLongToCountIsRefused() {
        #expect(throws: ExprError.self) { try SeriesNotation.expand("1x9223372036854775807") }
    }

    @Test func aWidthPastGosLimitPadsNothing() throws {
        let t = try Template("[{{ printf \"%99999999999s\" \"x\" }}][{{ printf \"%5s\" \"y\" }}]")
        #expect(t.render(labels: Labels(), value: 0) == "[x][    y]")
    }

    @Test func aGroupIntervalBelowASecondBackfillsAtASecond() throws {
        let rec = RecordingRule(name: "r", expr: try Parser.parse("vector(1)"))
        var e = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 1e-16, rules: [], recordings: [rec])])
        e.backfillRecordings(source: StaticSeriesSource([]), from: 0, to: 600)
        #expect(e.recorded.values.first?.count == 600)
    }

    @Test func templatesNestAHundredDeepNotUntilTheStackEnds() throws {
        func cause(_ text: String) -> String? {
            do { _ = try Template(text); return nil } catch { return "\(error)" }
        }
        let blocks = String(repeating: "{{if 1}}", count: 20_000) + "x" + String(repeating: "{{end}}", count: 20_000)
        #expect(cause(blocks)?.contains("blocks nest over 100 deep") == true)
        let elseIfs = "{{if 0}}" + String(repeating: "{{else if 0}}", count: 20_000) + "{{end}}"
        #expect(cause(elseIfs)?.contains("blocks nest over 100 deep") == true)
        let parens = "{{" + String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000) + "}}"
        #expect(cause(parens)?.contains("parentheses nest over 100 deep") == true)
        let fits = String(repeating: "{{if 1}}", count: 99) + "x" + String(repeating: "{{end}}", count: 99)
        #expect(try Template(fits).render(labels: Labels(), value: 0) == "x")
    }

    /// Prometheus' lexer refuses a number that runs into a letter (the fuzzer's `86unless`,
    /// which took seconds to evaluate here where promtool refuses it at once).
    @Test func aNumberRunningIntoAWordIsRefusedAsPrometheusRefusesIt() {
        #expect(parseError("0or up") == "bad number or duration syntax: \"0\"")
        #expect(parseError("up > 86unless up") == "bad number or duration syntax: \"86\"")
        #expect(parseError("0x1fz") == "bad number or duration syntax: \"0x1f\"")
        #expect(parseError("rate(up[5mo])") == "bad number or duration syntax: \"5\"")
        #expect(parseError("up > 1e3 or up") == nil && parseError("0x1f + 1") == nil && parseError("rate(up[5m30s])") == nil)
    }
}
