import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillConfig

/// `watchbill rules check FILE...`: Prometheus rule files against Watchbill's PromQL subset.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Work with Prometheus alerting rule files.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check rule files: every expression in Watchbill's PromQL subset, severities P0 to P3, templates that render. Exit 1 on an error.")

        @Argument(help: "Rule files (Prometheus format: groups, rules with alert, expr, for, labels, annotations).")
        var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                guard let bytes = ProcRoot("/").read(file, limit: 16 << 20) else {
                    printError("\(file): cannot read: \(String(cString: strerror(errno)))")
                    failed = true
                    continue
                }
                do {
                    let (groups, warnings) = try RuleFile.parse(String(decoding: bytes, as: UTF8.self), file: file)
                    for w in warnings { printError("warning: \(w)") }
                    let rules = groups.reduce(0) { $0 + $1.rules.count }
                    print("\(file): OK, \(groups.count) group\(groups.count == 1 ? "" : "s"), \(rules) rule\(rules == 1 ? "" : "s")")
                } catch {
                    printError("\(error)")
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }

        func printError(_ line: String) {
            let bytes = Array((line + "\n").utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        }
    }
}
