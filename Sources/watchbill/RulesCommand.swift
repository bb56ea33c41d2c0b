import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillConfig
import WatchbillIncidents
import WatchbillRules
import WatchbillRuntime

/// `watchbill rules check FILE...`: Prometheus rule files, checked as promtool checks them.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Work with Prometheus alerting rule files.", subcommands: [Check.self, Test.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check",
            abstract: "Check rule files: every expression as Prometheus 2.42 parses it, severities P0 to P3 (or a team's words), templates that render. Exit 1 on an error.")

        @Argument(help: "Rule files (Prometheus format: groups, rules with alert, expr, for, labels, annotations).")
        var files: [String]

        func run() throws {
            // The config's `severities` (a team's words for P0 to P3), when it reads.
            let env = ConfigLoader.environment(), path = ConfigFile.defaultPath(environment: env)
            if let c = try? ConfigFile.parse(UserFile.text(path, limit: 16 << 20), file: path, environment: env) { Severity.teamWords.withLock { $0 = c.severityWords } }
            var failed = false
            for file in files {
                let text: String
                do { text = try UserFile.text(file, limit: 16 << 20) } catch { printError("\(error)"); failed = true; continue }
                do {
                    let (groups, warnings) = try RuleFile.parse(text, file: file)
                    for w in warnings { printError("warning: \(w)") }
                    for w in RuleLoader.historyWarnings(RuleLoader.engine(groups)) { printError("warning: \(file): \(w)") }
                    print("\(file): OK, \(RuleGroup.summary(groups))")
                } catch {
                    printError("\(error)")
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }

    }

    /// `watchbill rules test FILE...`: promtool's unit-test files, run the way promtool runs them.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "test",
            abstract: "Run rule unit tests in promtool's format (input_series, alert_rule_test, eval_time). Exit 1 on a failure.")

        @Argument(help: "Test files; their rule_files are read relative to each test file.")
        var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let failures = try runFile(file)
                    if failures.isEmpty {
                        print("\(file): SUCCESS")
                    } else {
                        failed = true
                        print("\(file): FAILED:\n" + failures.joined(separator: "\n"))
                    }
                } catch {
                    printError("\(error)")
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }

        func runFile(_ file: String) throws -> [String] {
            let suite = try RuleTestFile.parse(try read(file), file: file)
            let dir = file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) + "/" : ""
            var groups: [RuleGroup] = []
            for ruleFile in suite.ruleFiles {
                let path = ruleFile.hasPrefix("/") ? ruleFile : dir + ruleFile
                groups += try RuleFile.parse(try read(path), file: path).groups
            }
            return suite.tests.flatMap { test -> [String] in
                let all = RuleGroup.merged(groups, name: test.name)
                let f = RuleTestRunner.run(test, rules: all.rules.map(\.rule), recordings: all.recordings, order: all.order,
                                           evaluationInterval: suite.evaluationInterval)
                return f.isEmpty ? [] : ["  \(test.name):"] + f
            }
        }

        func read(_ path: String) throws -> String {
            do { return try UserFile.text(path, limit: 16 << 20) } catch { throw ValidationError("\(error)") }
        }
    }
}


