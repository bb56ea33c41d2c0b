import Foundation
import Testing
import WatchbillConfig
import WatchbillRules

private let promtool = WatchbillConfigTests.promtool

enum WatchbillConfigTests {
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Public collections of real rules, loaded as written: awesome-prometheus-alerts (112 files
/// written by others for their exporters) and the monitoring mixins as rendered (212 files,
/// alerting and recording rules of 106 projects). Every file `promtool check rules` accepts
/// must load in Watchbill with the number of rules promtool counts, file by file, and the
/// share is printed.
@Suite(.enabled(if: promtool != nil, "promtool is not installed (Debian's prometheus package)"))
struct RealRuleFilesTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let dir = fixtures.appendingPathComponent("awesome-prometheus-alerts")
    static let mixins = fixtures.appendingPathComponent("monitoring-mixins")

    static func promtoolAccepts(_ file: URL) throws -> Bool { try promtool(["check", "rules", "--lint=none", file.path]).status == 0 }

    /// The rules promtool finds in an accepted file ("SUCCESS: 15 rules found") and the
    /// duplicates its lint reports ("lint error 1 duplicate rule(s) found"); nil if it refuses it.
    static func promtoolCount(_ file: URL) throws -> (rules: Int, duplicates: Int)? {
        let linted = try promtool(["check", "rules", file.path])
        guard linted.status == 0 else { return nil }
        func firstNumber(after marker: String, in text: String) -> Int? {
            text.split(separator: "\n").first { $0.contains(marker) }?.split(separator: " ").compactMap { Int($0) }.first
        }
        let duplicates = firstNumber(after: "duplicate rule(s) found", in: linted.err) ?? 0
        // A lint finding replaces the count on stdout: counted again without the lint.
        let counted = duplicates == 0 ? linted.out : try promtool(["check", "rules", "--lint=none", file.path]).out
        return firstNumber(after: "SUCCESS:", in: counted).map { ($0, duplicates) }
    }

    static func promtool(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: WatchbillConfigTests.promtool!)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // promtool's answers are small: read one pipe after the other.
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, o, e)
    }

    static func files(in dir: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
            .sorted().map { dir.appendingPathComponent($0) }
    }

    struct Tally {
        var files = 0, accepted = 0, promtoolRules = 0, loaded = 0, recording = 0, duplicates = 0
        var disagreements: [String] = []
    }

    static func tally(_ dir: URL) throws -> Tally {
        var t = Tally()
        for url in try files(in: dir) {
            t.files += 1
            guard let (count, duplicates) = try promtoolCount(url) else { continue }
            t.accepted += 1
            t.promtoolRules += count
            t.duplicates += duplicates
            do {
                let (groups, warnings) = try RuleFile.parse(try String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)
                let ours = warnings.filter { $0.contains("with the same labels") }.count
                if ours != duplicates { t.disagreements.append("\(url.lastPathComponent): promtool lints \(duplicates) duplicate rules, Watchbill warns of \(ours)") }
                let alerts = groups.reduce(0) { $0 + $1.rules.count }, recordings = groups.reduce(0) { $0 + $1.recordings.count }
                t.loaded += alerts + recordings
                t.recording += recordings
                if alerts + recordings != count { t.disagreements.append("\(url.lastPathComponent): promtool \(count) rules, Watchbill \(alerts + recordings)") }
            } catch {
                t.disagreements.append("\(error)")
            }
        }
        return t
    }

    @Test func everyRuleFilePromtoolAcceptsLoads() throws {
        let t = try Self.tally(Self.dir)
        print("awesome-prometheus-alerts: \(t.loaded) of \(t.promtoolRules) rules load (\(t.files) files, \(t.accepted) accepted by promtool)")
        #expect(t.files == 112 && t.accepted == 112 && t.promtoolRules > 900, "\(t.files) files, \(t.accepted) accepted, \(t.promtoolRules) rules")
        #expect(t.disagreements.isEmpty && t.loaded == t.promtoolRules, "\(t.disagreements.prefix(15).joined(separator: "\n"))")
    }

    @Test func everyMixinRulePromtoolAcceptsLoads() throws {
        let t = try Self.tally(Self.mixins)
        print("monitoring mixins: \(t.loaded) of \(t.promtoolRules) rules load, \(t.recording) of them recording, \(t.duplicates) duplicates warned of as promtool lints them (\(t.files) files, \(t.accepted) accepted by promtool)")
        #expect(t.files == 212 && t.accepted == 212 && t.promtoolRules > 1_000, "\(t.files) files, \(t.accepted) accepted, \(t.promtoolRules) rules")
        #expect(t.recording > 250 && t.duplicates >= 6, "the mixins' recording rules are counted: \(t.recording), duplicates \(t.duplicates)")
        #expect(t.disagreements.isEmpty && t.loaded == t.promtoolRules, "\(t.disagreements.prefix(15).joined(separator: "\n"))")
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
        try compare(RealRuleFilesTests.dir, everyNth: 8, minimum: 200)
    }

    @Test func theSameVerdictAsPromtoolOnTheMixins() throws {
        try compare(RealRuleFilesTests.mixins, everyNth: 16, minimum: 150)
    }

    func compare(_ dir: URL, everyNth stride: Int, minimum: Int) throws {
        let files = try RealRuleFilesTests.files(in: dir).map(\.lastPathComponent)
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-rules-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        var compared = 0, refused = 0
        var disagreements: [String] = []
        // Every few files, their first damages: a few hundred promtool runs.
        for name in files.enumerated().filter({ $0.offset % stride == 0 }).map(\.element) {
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
        print("damaged rule files of \(dir.lastPathComponent): \(compared) compared, \(refused) refused by promtool, \(disagreements.count) disagreements")
        #expect(compared > minimum && refused > minimum / 4, "compared \(compared), refused \(refused)")
        #expect(disagreements.isEmpty, "\(disagreements.count):\n\(disagreements.prefix(20).joined(separator: "\n"))")
    }
}
