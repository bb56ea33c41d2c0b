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

/// Damaged copies of real rule files: where promtool refuses one, Watchbill refuses it too,
/// and the other way round.
@Suite(.enabled(if: promtool != nil, "promtool is not installed (Debian's prometheus package)"))
struct DamagedRuleFilesTests {
    /// Deterministic damage to the `expr`, `for`, label and annotation lines of a file.
    static func damaged(_ text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        for (i, line) in lines.enumerated() {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("expr:") || t.hasPrefix("for:") || t.hasPrefix("severity:") || t.hasPrefix("summary:")
                || t.hasPrefix("- alert:") || t.hasPrefix("description:") else { continue }
            for damage in [line + ")", line.replacingOccurrences(of: "(", with: "((", options: [], range: line.range(of: "(")),
                           line.replacingOccurrences(of: "{{", with: "{{ if "), line.replacingOccurrences(of: "m", with: "q"),
                           line + " }}", line.replacingOccurrences(of: ":", with: "")] where damage != line {
                var copy = lines
                copy[i] = damage
                out.append(copy.joined(separator: "\n"))
            }
        }
        return out
    }

    @Test func theSameVerdictAsPromtool() throws {
        let dir = RealRuleFilesTests.dir
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yml") }.sorted()
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-rules-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        var compared = 0, refused = 0
        var disagreements: [String] = []
        // Every eighth file, its first damages: a few hundred promtool runs.
        for name in files.enumerated().filter({ $0.offset % 8 == 0 }).map(\.element) {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            for (k, page) in Self.damaged(text).prefix(24).enumerated() {
                let file = tmp.appendingPathComponent("\(k)-\(name)")
                try page.write(to: file, atomically: true, encoding: .utf8)
                let theirs = try RealRuleFilesTests.promtoolAccepts(file)
                let ours = (try? RuleFile.parse(page, file: name)) != nil
                compared += 1
                if !theirs { refused += 1 }
                if theirs != ours {
                    let why = (try? RuleFile.parse(page, file: name)).map { _ in "" } ?? { () -> String in
                        do { _ = try RuleFile.parse(page, file: name); return "" } catch { return "\(error)" }
                    }()
                    let changed = zip(text.split(separator: "\n", omittingEmptySubsequences: false), page.split(separator: "\n", omittingEmptySubsequences: false))
                        .first { $0.0 != $0.1 }.map { "\($0.1)" } ?? ""
                    disagreements.append("\(name) #\(k): promtool \(theirs ? "accepts" : "refuses"), watchbill \(ours ? "accepts" : "refuses") \(why)\n    \(changed)")
                }
            }
        }
        print("damaged rule files: \(compared) compared, \(refused) refused by promtool, \(disagreements.count) disagreements")
        #expect(compared > 200 && refused > 50, "compared \(compared), refused \(refused)")
        #expect(disagreements.isEmpty, "\(disagreements.count):\n\(disagreements.prefix(20).joined(separator: "\n"))")
    }
}
