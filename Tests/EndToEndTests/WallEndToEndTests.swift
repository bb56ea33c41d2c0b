import Foundation
import Testing

@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; end-to-end tests need it"))
struct WallEndToEndTests {
    @Test func wallDisplayIgnoresKeysAndQuitsOnCtrlC() throws {
        let s = try TmuxSession.started(width: 120, height: 40, arguments: "--wall")
        let r = s.waitFor { $0.contains("Ctrl-C quits") && $0.contains("no P0 or P1 firing") && $0.contains("███") }
        #expect(r.ok, "no wall strip (quiet line, big clock) or footer:\n\(r.screen)")
        for key in ["q", "t", "1", "Enter", "?"] { try s.send(key) }
        usleep(500_000)
        #expect(s.file("exit") == nil, "a key changed or quit the wall display")
        let after = s.screen()
        #expect(after.contains("CPU") && after.contains("Disk") && !after.contains("Keys"), "a key changed the wall display:\n\(after)")
        try s.send("C-c")
        #expect(s.waitForFile("exit") != nil)
        #expect(s.waitForFile("after") == s.file("before")?.trimmingCharacters(in: .whitespacesAndNewlines),
                "terminal settings differ after Ctrl-C")
    }

    @Test func hiddenPanesStayHiddenAfterARestart() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("wb-layout-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let first = try TmuxSession.started(width: 100, height: 30, environment: ["XDG_STATE_HOME": state.path])
        #expect(first.waitFor { $0.contains("Disk") && $0.contains("Network") }.ok)
        try first.send("3")
        #expect(first.waitFor { !$0.contains("Disk") && $0.contains("Network") }.ok, "3 did not hide Disk")
        try first.send("q")
        #expect(first.waitForFile("exit") == "0")
        let second = try TmuxSession.started(width: 100, height: 30, environment: ["XDG_STATE_HOME": state.path])
        let r = second.waitFor { $0.contains("CPU") && $0.contains("Network") }
        #expect(r.ok && !r.screen.contains("Disk"), "Disk came back after a restart:\n\(r.screen)")
        try second.send("q")
        // --layout wins over what was remembered.
        let third = try TmuxSession.started(width: 100, height: 30, arguments: "--layout default",
                                            environment: ["XDG_STATE_HOME": state.path])
        #expect(third.waitFor { $0.contains("Disk") && $0.contains("Network") }.ok)
        try third.send("q")
    }
}

/// Every shipped theme on a 256-color terminal at 80x24: the panes are readable, colored
/// themes send 256-color codes (never truecolor to a terminal that did not ask for it), and
/// mono sends attributes only.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; end-to-end tests need it"))
struct ThemeEndToEndTests {
    @Test(arguments: ["default", "light", "nord", "solarized-dark", "high-contrast", "mono"])
    func themeOnXterm256(theme: String) throws {
        let s = try TmuxSession.started(width: 80, height: 24, arguments: "--theme \(theme)",
                                        environment: ["TERM": "xterm-256color"])
        let r = s.waitFor { screen in ["CPU", "Memory", "Disk", "Network"].allSatisfy(screen.contains) }
        #expect(r.ok, "\(theme): panes missing:\n\(r.screen)")
        let escaped = s.screenWithAttributes()
        #expect(!escaped.contains("38;2;"), "\(theme): truecolor sent to xterm-256color without COLORTERM")
        if theme == "mono" {
            #expect(!TmuxSession.hasColor(escaped), "mono sent colors")
        } else {
            #expect(escaped.contains("38;5;"), "\(theme): no 256-color codes on xterm-256color")
        }
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
    }
}

/// `--mouse`: a click (sent as the terminal would, an X10 mouse report) focuses the pane
/// under it; without the flag the same bytes change nothing.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; end-to-end tests need it"))
struct MouseEndToEndTests {
    /// Press and release of button 1 at a zero-based cell.
    static func click(x: Int, y: Int) -> [String] {
        let at = String(UnicodeScalar(UInt8(33 + x))) + String(UnicodeScalar(UInt8(33 + y)))
        return ["\u{1B}[M " + at, "\u{1B}[M#" + at]
    }

    @Test(arguments: [true, false])
    func clickFocusesMemory(mouse: Bool) throws {
        let s = try TmuxSession.started(width: 100, height: 30, arguments: mouse ? "--mouse" : "")
        #expect(s.waitFor { $0.contains("Memory") && $0.contains("Network") }.ok)
        for report in Self.click(x: 70, y: 3) { try s.tmux(["send-keys", "-t", "e2e", "-l", report]) }
        usleep(300_000)
        try s.send("t")
        let sorted = s.waitFor { $0.contains("Processes") && ($0.contains("MEM%*") || $0.contains("CPU%*")) }
        #expect(sorted.ok)
        if mouse {
            #expect(sorted.screen.contains("MEM%*"), "the click did not focus Memory:\n\(sorted.screen)")
        } else {
            #expect(sorted.screen.contains("CPU%*"), "a click changed focus without --mouse:\n\(sorted.screen)")
        }
        try s.send("q")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
    }
}

/// The alert rules run on the dashboard: a user's rule that fires reaches the wall banner
/// and the log; a rule file that does not load stops the start with its position.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; end-to-end tests need it"))
struct AlertRulesEndToEndTests {
    func writeRules(_ dir: URL, _ name: String, _ text: String) throws {
        let d = dir.appendingPathComponent("watchbill/rules")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        try text.write(to: d.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    @Test func aFiringRuleReachesTheWallBannerAndTheLog() throws {
        let rules = """
            groups:
              - name: demo
                interval: 1s
                rules:
                  - alert: LoadSeen
                    expr: node_load1 >= 0
                    labels: {severity: P1}
                    annotations: {summary: "load is {{ $value }}", runbook_url: load.md}
            """
        let s = try TmuxSession.started(width: 120, height: 40, arguments: "--wall",
                                        before: { try writeRules($0, "demo.yml", rules) })
        // Not "1 alert": a default rule may also page on the machine running the tests.
        let r = s.waitFor { $0.contains("P1 FIRING: ") && $0.contains("LoadSeen: load is ") }
        #expect(r.ok, "the rule's alert is not on the wall banner:\n\(r.screen)")
        try s.send("C-c")
        #expect(s.waitForFile("exit") != nil)
        let log = s.file("watchbill/watchbill.log") ?? ""
        #expect(log.contains("alert rules: 14 in 2 files"), "\(log)")
        #expect(log.contains("alert LoadSeen pending -> firing"), "\(log)")
    }

    @Test func pendingAlertsSurviveARestart() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("wb-alerts-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let rules = """
            groups:
              - name: demo
                interval: 1s
                rules:
                  - alert: LoadSeen
                    expr: node_load1 >= 0
                    for: 1h
                    labels: {severity: P2}
                    annotations: {summary: "load", runbook_url: load.md}
            """
        let env = ["XDG_STATE_HOME": state.path]
        let first = try TmuxSession.started(width: 100, height: 30, environment: env, before: { try writeRules($0, "demo.yml", rules) })
        #expect(first.waitFor { $0.contains("CPU") }.ok)
        usleep(1_500_000)
        try first.send("q")
        #expect(first.waitForFile("exit") == "0")
        let saved = (try? String(contentsOf: state.appendingPathComponent("watchbill/alerts.state"), encoding: .utf8)) ?? ""
        // Other default rules may be pending on the machine running the tests: look at this one.
        let line = saved.split(separator: "\n").first { $0.contains("alertname=\"LoadSeen\"") }
        #expect(line?.hasPrefix("pending ") == true, "\(saved)")
        let second = try TmuxSession.started(width: 100, height: 30, environment: env, before: { try writeRules($0, "demo.yml", rules) })
        #expect(second.waitFor { $0.contains("CPU") }.ok)
        usleep(1_500_000)
        try second.send("q")
        #expect(second.waitForFile("exit") == "0")
        let log = (try? String(contentsOf: state.appendingPathComponent("watchbill/watchbill.log"), encoding: .utf8)) ?? ""
        #expect(log.contains(" saved alerts restored from "), "\(log)")
        // Pending once, in the first run only: the second carried on with the same alert.
        #expect(log.components(separatedBy: "LoadSeen inactive -> pending").count == 2, "\(log)")
    }

    @Test func aBrokenRuleFileStopsTheStart() throws {
        let s = try TmuxSession.started(width: 100, height: 30, before: {
            try writeRules($0, "bad.yml", "groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up > on(job) 1\n")
        })
        #expect(s.waitForFile("exit") == "2")
        let screen = s.screen()
        #expect(screen.contains("bad.yml:5:18: in X: vector matching only"), "\(screen)")
    }
}
