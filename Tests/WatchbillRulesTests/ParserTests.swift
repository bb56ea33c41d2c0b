import Testing
@testable import WatchbillRules

struct ParserTests {
    func value(_ text: String) throws -> Double {
        guard case .scalar(let v) = try Evaluator(source: MemorySource([])).evaluate(try Parser.parse(text), at: 0) else {
            Issue.record("not a number: \(text)")
            return .nan
        }
        return v
    }

    @Test func precedenceAndAssociativity() throws {
        #expect(try value("1 + 2 * 3 ^ 2") == 19)
        #expect(try value("2 ^ 3 ^ 2") == 512)  // right-associative
        #expect(try value("10 - 4 - 3") == 3)  // left-associative
        #expect(try value("(1 + 2) * 3") == 9)
        #expect(try value("7 % 4 + -1") == 2)
        #expect(try value("2 > bool 1") == 1)
        #expect(try value("1e3 / 4") == 250)
    }

    @Test func selectorsFunctionsAndAggregations() throws {
        let e = try Parser.parse(#"sum by (mountpoint) (node_filesystem_avail_bytes{fstype!="tmpfs", mountpoint=~"/.*"}) < 1e9"#)
        guard case .binary(.lt, .aggregate(.sum, .by(["mountpoint"]), .selector(let s), nil), .number(1e9), false, nil) = e else {
            Issue.record("unexpected tree \(e)")
            return
        }
        #expect(s.name == "node_filesystem_avail_bytes")
        #expect(s.matchers.map(\.kind) == [.notEqual, .regex])
        let r = try Parser.parse("rate(node_network_receive_bytes_total[5m] offset 1m)")
        guard case .function("rate", let args, _) = r, case .selector(let sel) = args[0] else {
            Issue.record("unexpected tree \(r)")
            return
        }
        #expect(sel.range == 300 && sel.offset == 60)
        // The grouping may follow the argument, as in Prometheus.
        guard case .aggregate(.max, .without(["cpu"]), _, _) = try Parser.parse("max(x) without (cpu)") else {
            Issue.record("suffix grouping")
            return
        }
        #expect(throws: Never.self) { try Parser.parse("predict_linear(node_filesystem_avail_bytes[1h], 4 * 3600) < 0") }
        #expect(throws: Never.self) { try Parser.parse("absent(up{job=\"node\"}) or count(up) == bool 0") }
    }

    /// What is outside the subset is an error with its position, never a silent no-op.
    @Test(arguments: [
        ("topk(up)", 1, 8, "expected ',' after the parameter of topk, found ')'"),
        ("x + on(job) group_left(job) y", 1, 29, "label 'job' must not occur in on() and group_left() both"),
        ("rate(x[5m:1m]) and 1", 1, 16, "set operator 'and' not allowed in binary scalar expression"),
        ("bogus(x)", 1, 1, "unknown function 'bogus'"),
        ("rate(x)", 1, 1, "expected type range vector in call to function 'rate', got instant vector"),
        ("(x + 1)[5m]", 1, 8, "ranges only allowed for vector selectors"),
        ("{}", 1, 1, "vector selector must contain at least one non-empty matcher"),
        ("sum(x", 1, 6, "expected ')', found the end"),
        ("x{job=~\"(\"}", 1, 8, "'(' is not a valid regular expression"),
        ("rate(x[5m], 2)", 1, 1, "rate takes 1 argument, found 2"),
        ("x > \n  ", 2, 3, "expected an expression, found the end"),
        ("1 and 2", 1, 3, "set operator 'and' not allowed in binary scalar expression"),
        ("up ! 1", 1, 4, "'!' must be followed by '=' or '~'"),
        ("5m", 1, 1, "a duration is only valid inside '[...]' or after offset"),
    ])
    func errorsSayWhere(text: String, line: Int, column: Int, cause: String) {
        #expect(throws: ExprError(at: SourcePosition(line: line, column: column), cause: cause)) { try Parser.parse(text) }
    }

    /// Expressions built to overflow a stack (50,000 chained `+` or 20,000 parentheses killed
    /// `rules check`, the agent and the dashboard) are refused where the limit is crossed;
    /// anything a real rule writes still parses.
    @Test func limitsInsteadOfAStackOverflow() throws {
        let chained = Array(repeating: "up", count: 10_000).joined(separator: "+")
        #expect(throws: ExprError(at: SourcePosition(line: 1, column: 3 * 1_001),
                                  cause: "more than 1000 operators in one expression (split it with recording rules)")) { try Parser.parse(chained) }
        // The 50,000 of the report are past the length limit already.
        #expect(throws: ExprError.self) { try Parser.parse(Array(repeating: "up", count: 50_000).joined(separator: " + ")) }
        let parens = String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)
        #expect(throws: ExprError(at: SourcePosition(line: 1, column: 101), cause: "nested more than 100 deep (parentheses, calls, aggregations, signs)")) {
            try Parser.parse(parens)
        }
        let signs = String(repeating: "- ", count: 20_000) + "1"
        #expect(throws: ExprError.self) { try Parser.parse(signs) }
        let calls = String(repeating: "sum(", count: 5_000) + "x" + String(repeating: ")", count: 5_000)
        #expect(throws: ExprError.self) { try Parser.parse(calls) }
        #expect(throws: ExprError(at: SourcePosition(line: 1, column: 1), cause: "the expression is 100001 bytes long; at most 100000 are read")) {
            try Parser.parse(String(repeating: " ", count: 100_000) + "1")
        }
        // Up to the limits, it parses and evaluates: 1,000 operators, 99 parentheses deep.
        #expect(try value(Array(repeating: "1", count: 1_001).joined(separator: " + ")) == 1_001)
        #expect(try value(String(repeating: "(", count: 99) + "2" + String(repeating: ")", count: 99)) == 2)
        #expect(try value(String(repeating: "- ", count: 98) + "3") == 3)
    }

    /// Nested subqueries are bounded as a whole: a day at a second inside a day at a second
    /// is refused rather than run for hours.
    @Test func nestedSubqueriesAreBounded() throws {
        let e = try Parser.parse("max_over_time(max_over_time(up[1d:1s])[1d:1s])")
        #expect(throws: ExprError.self) { try Evaluator(source: MemorySource([])).evaluate(e, at: 86_400) }
        let small = try Evaluator(source: MemorySource([])).evaluate(try Parser.parse("sum_over_time(vector(1)[10m:1m])"), at: 600)
        #expect(small == .vector([Sample(labels: Labels(), value: 11)]))
    }
}
