import Testing
import WatchbillConfig

/// A rule test file is input: what it asks for is bounded, with the file and line of why.
struct RuleTestFileLimitsTests {
    func file(evalTime: String, interval: String = "1m") -> String {
        """
        rule_files: [r.yml]
        evaluation_interval: \(interval)
        tests:
          - interval: 1m
            input_series:
              - series: 'up{job="x"}'
                values: '1x10'
            alert_rule_test:
              - eval_time: \(evalTime)
                alertname: Down

        """
    }

    @Test func evaluationsPastTheLimitAreRefusedWithWhere() throws {
        // 30 days at a minute: 43,200 evaluations, a real test's size.
        #expect(try RuleTestFile.parse(file(evalTime: "30d"), file: "t.yml").tests.count == 1)
        // 10000 days at a minute ran for minutes (issue 19); a millisecond interval too.
        for (evalTime, interval) in [("10000d", "1m"), ("2h", "1ms")] {
            do {
                _ = try RuleTestFile.parse(file(evalTime: evalTime, interval: interval), file: "t.yml")
                Issue.record("\(evalTime) at \(interval) was accepted")
            } catch {
                let text = "\(error)"
                #expect(text.contains("t.yml:") && text.contains("more than 100000 evaluations"), "\(text)")
            }
        }
    }
}
