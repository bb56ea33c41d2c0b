import Foundation
import Testing
import WatchbillConfig
import WatchbillRules

private let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// A public collection of real alerting rules (awesome-prometheus-alerts: 112 files, written
/// by others for their exporters), loaded as written: every file `promtool check rules`
/// accepts must load in Watchbill, every rule in it, and the share is printed.
@Suite(.enabled(if: promtool != nil, "promtool is not installed (Debian's prometheus package)"))
struct RealRuleFilesTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/awesome-prometheus-alerts")

    static func promtoolAccepts(_ file: URL) throws -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: promtool!)
        p.arguments = ["check", "rules", file.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    @Test func everyRuleFilePromtoolAcceptsLoads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.dir.path).filter { $0.hasSuffix(".yml") }.sorted()
        var acceptedByPromtool = 0, rules = 0, loaded = 0
        var refusals: [String] = []
        for name in files {
            let url = Self.dir.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            let count = text.components(separatedBy: "- alert:").count - 1
            guard try Self.promtoolAccepts(url) else { continue }
            acceptedByPromtool += 1
            rules += count
            do {
                let groups = try RuleFile.parse(text, file: name).groups
                loaded += groups.reduce(0) { $0 + $1.rules.count }
            } catch {
                refusals.append("\(error)")
            }
        }
        print("real rule files: \(loaded) of \(rules) rules load (\(files.count) files, \(acceptedByPromtool) accepted by promtool)")
        #expect(files.count == 112 && acceptedByPromtool == 112 && rules > 900, "\(files.count) files, \(acceptedByPromtool) accepted, \(rules) rules")
        #expect(refusals.isEmpty && loaded == rules, "\(refusals.count) files refused:\n\(refusals.prefix(15).joined(separator: "\n"))")
    }
}
