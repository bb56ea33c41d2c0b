import Foundation
import Testing

private let tmuxMissing = TmuxSession.tmuxPath == nil

/// The real binary in a real terminal. Skipped, with the reason printed, only where tmux
/// is not installed; a missing binary is a failure, not a skip.
@Suite(.serialized, .enabled(if: !tmuxMissing, "tmux is not installed; end-to-end tests need it"))
struct DashboardEndToEndTests {
    static let panes = ["CPU", "Memory", "Disk", "Network"]

    @Test func firstFramePanesResizeAndQuit() throws {
        let s = try TmuxSession.started(width: 100, height: 30)
        let first = s.waitFor { screen in Self.panes.allSatisfy(screen.contains) && screen.range(of: #"\d+\.\d%"#, options: .regularExpression) != nil }
        #expect(first.ok, "no first frame with all panes and a CPU percentage:\n\(first.screen)")

        try s.resize(width: 80, height: 24)
        let small = s.waitFor { $0.split(separator: "\n").first?.count ?? 0 <= 80 && Self.panes.allSatisfy($0.contains) }
        #expect(small.ok, "panes missing after resizing to 80x24:\n\(small.screen)")

        try s.resize(width: 20, height: 3)
        let tiny = s.waitFor { $0.contains("too small") || $0.contains("terminal") }
        #expect(tiny.ok, "no 'too small' message at 20x3:\n\(tiny.screen)")

        try s.resize(width: 200, height: 50)
        let wall = s.waitFor { Self.panes.allSatisfy($0.contains) }
        #expect(wall.ok, "did not recover at 200x50:\n\(wall.screen)")

        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        #expect(s.waitForFile("after") == s.file("before")?.trimmingCharacters(in: .whitespacesAndNewlines),
                "terminal settings differ after quitting")
    }

    /// After a resize the screen is drawn again in full once, then only what changes, as
    /// before: a resize once left every later pass repainting the whole screen (13 KB a
    /// frame at 200x50, twice a second, for good), found by the soak's resize storm.
    @Test func aResizeRepaintsOnceNotForever() throws {
        let s = try TmuxSession.started(width: 100, height: 30)
        #expect(s.waitFor { Self.panes.allSatisfy($0.contains) }.ok)
        usleep(1_500_000)
        let steady = try s.bytesWritten(during: 4)
        try s.resize(width: 120, height: 40)
        #expect(s.waitFor { $0.split(separator: "\n").count >= 38 && Self.panes.allSatisfy($0.contains) }.ok)
        usleep(1_500_000)
        let afterResize = try s.bytesWritten(during: 4)
        #expect(afterResize < steady * 2 + 2_000, "after one resize \(afterResize) bytes in 4 s, before it \(steady)")
        let log = (try? String(contentsOf: s.work.appendingPathComponent("watchbill/watchbill.log"), encoding: .utf8)) ?? ""
        let resizes = log.split(separator: "\n").filter { $0.contains("resized to") }
        #expect(resizes.count == 1, "one resize logged as \(resizes.count):\n\(resizes.suffix(5).joined(separator: "\n"))")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
    }

    @Test func keysHelpZoomEscapeAndPause() throws {
        let s = try TmuxSession.started(width: 100, height: 30)
        #expect(s.waitFor { Self.panes.allSatisfy($0.contains) }.ok)
        try s.send("?")
        #expect(s.waitFor { $0.contains("show or hide this help") }.ok)
        try s.send("Escape")
        #expect(s.waitFor { !$0.contains("show or hide this help") }.ok)
        try s.send("Tab", "Tab", "Enter")
        let zoomed = s.waitFor { $0.contains("Disk") && !$0.contains("Memory") }
        #expect(zoomed.ok, "Enter did not zoom the Disk pane:\n\(zoomed.screen)")
        // Esc must act at once, not after curses' default one-second escape delay.
        let t0 = Date()
        try s.send("Escape")
        let back = s.waitFor(seconds: 5) { Self.panes.allSatisfy($0.contains) }
        #expect(back.ok)
        #expect(Date().timeIntervalSince(t0) < 0.9, "Esc took \(Date().timeIntervalSince(t0)) s")
        try s.send("p")
        #expect(s.waitFor { $0.contains("PAUSED") }.ok)
        try s.send("+")
        #expect(s.waitFor { $0.contains("every 2s") }.ok)
        try s.send("C-c")
        #expect(s.waitForFile("exit") == "0")
        #expect(s.waitForFile("after") == s.file("before")?.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test(arguments: ["TERM", "HUP", "QUIT"])
    func signalRestoresTheTerminal(signal: String) throws {
        let s = try TmuxSession.started(width: 100, height: 30)
        #expect(s.waitFor { Self.panes.allSatisfy($0.contains) }.ok)
        let pid = try #require(s.waitForFile("pid"))
        let kill = Process()
        kill.executableURL = URL(fileURLWithPath: "/bin/kill")
        kill.arguments = ["-\(signal)", pid]
        try kill.run()
        kill.waitUntilExit()
        #expect(s.waitForFile("exit") == "0")
        #expect(s.waitForFile("after") == s.file("before")?.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(!s.screen().contains("╭"), "the dashboard is still on screen after SIG\(signal)")
    }

    @Test func crashOnTheCollectionThreadRestoresTheTerminal() throws {
        // The Swift backtracer would wait 30 s for a key on a terminal; the path through
        // our handler is the same without it.
        let s = try TmuxSession.started(arguments: "--debug-crash-after-samples 2",
                                        environment: ["SWIFT_BACKTRACE": "enable=no"])
        #expect(s.waitFor { Self.panes.allSatisfy($0.contains) }.ok)
        let status = s.waitForFile("exit")
        #expect(status == "132" || status == "133", "exit status \(status ?? "none"), expected death by SIGILL or SIGTRAP")
        #expect(s.waitForFile("after") == s.file("before")?.trimmingCharacters(in: .whitespacesAndNewlines),
                "terminal settings differ after the crash")
        #expect(!s.screen().contains("╭"), "the dashboard is still on screen after the crash")
    }

    @Test func aCPUBurnerIsTheTopProcessWithinTwoRefreshes() throws {
        // A bounded busy loop (at most 200M iterations), killed outright when the test ends.
        let burner = Process()
        burner.executableURL = URL(fileURLWithPath: "/bin/sh")
        burner.arguments = ["-c", "i=0; while [ $i -lt 200000000 ]; do i=$((i+1)); done"]
        try burner.run()
        let pidOfLoop = burner.processIdentifier
        defer { kill(pidOfLoop, SIGKILL) }
        let s = try TmuxSession.started(width: 120, height: 30)
        #expect(s.waitFor { Self.panes.allSatisfy($0.contains) }.ok)
        let t0 = Date()
        try s.send("t")
        let top = s.waitFor(seconds: 6) { screen in
            let rows = screen.split(separator: "\n")
            guard let header = rows.firstIndex(where: { $0.contains("COMMAND") }), header + 1 < rows.count else { return false }
            return rows[header + 1].contains(" \(pidOfLoop) ")
        }
        #expect(top.ok, "the burner \(pidOfLoop) is not the top row:\n\(top.screen)")
        // Two 1 s refreshes (the first scan has no rates yet), plus scheduling slack for a
        // loaded CI machine: well under three refreshes.
        #expect(Date().timeIntervalSince(t0) < 3.5, "took \(Date().timeIntervalSince(t0)) s: more than two refreshes")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
    }

    @Test func suspendAndResumeRedraws() throws {
        // Job control needs an interactive shell: Ctrl-Z stops watchbill, fg brings it back.
        let s = try TmuxSession.shell()
        try s.send(TmuxSession.binary!, "Enter")
        #expect(s.waitFor { Self.panes.allSatisfy($0.contains) }.ok)
        try s.send("C-z")
        let stopped = s.waitFor { $0.contains("Stopped") }
        #expect(stopped.ok, "Ctrl-Z did not stop watchbill:\n\(stopped.screen)")
        #expect(!stopped.screen.contains("╭"), "the dashboard stayed on screen while stopped")
        try s.send("fg", "Enter")
        let back = s.waitFor { Self.panes.allSatisfy($0.contains) && $0.contains("╭") }
        #expect(back.ok, "fg did not redraw the dashboard:\n\(back.screen)")
        try s.send("q")
        #expect(s.waitFor { !$0.contains("╭") }.ok)
        // After fg, $? is the resumed job's exit status.
        try s.send("echo EXIT=$?", "Enter")
        #expect(s.waitFor { $0.contains("EXIT=0") }.ok)
    }

    @Test func noColorSendsAttributesOnly() throws {
        let colored = try TmuxSession.started()
        #expect(colored.waitFor { Self.panes.allSatisfy($0.contains) }.ok)
        #expect(TmuxSession.hasColor(colored.screenWithAttributes()), "no colors at all without NO_COLOR")
        let plain = try TmuxSession.started(environment: ["NO_COLOR": "1"])
        #expect(plain.waitFor { Self.panes.allSatisfy($0.contains) }.ok)
        let escaped = plain.screenWithAttributes()
        #expect(!TmuxSession.hasColor(escaped), "colors sent despite NO_COLOR")
        #expect(escaped.contains("\u{1B}[7m") || escaped.contains("\u{1B}[1m"), "no attributes either")
        try colored.send("q")
        try plain.send("q")
        #expect(plain.waitForFile("exit") == "0")
    }

    @Test func brokenThemeFallsBackAndSaysWhere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-theme-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("broken.theme")
        try "ok = #0072B2\nwarn = #12\n".write(to: file, atomically: true, encoding: .utf8)
        let s = try TmuxSession.started(width: 120, height: 30, arguments: "--theme \(file.path)")
        let r = s.waitFor { $0.contains("broken.theme:2: '#12' is not a #RRGGBB color") }
        #expect(r.ok, "no theme error in the footer:\n\(r.screen)")
        #expect(Self.panes.allSatisfy(r.screen.contains), "the dashboard must still start")
        try s.send("c")
        #expect(s.waitFor { $0.contains("theme light") }.ok, "c did not move to the next theme")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
    }

    @Test func keysYamlRebindsQuit() throws {
        let s = try TmuxSession.started(width: 100, height: 30, before: { config in
            try FileManager.default.createDirectory(at: config.appendingPathComponent("watchbill"),
                                                    withIntermediateDirectories: true)
            try "standard:\n  quit: [x]\n".write(to: config.appendingPathComponent("watchbill/keys.yaml"),
                                                   atomically: true, encoding: .utf8)
        })
        let r = s.waitFor { Self.panes.allSatisfy($0.contains) && $0.contains("x quit") }
        #expect(r.ok, "the footer does not hint the rebound key:\n\(r.screen)")
        try s.send("q")
        usleep(300_000)
        #expect(s.file("exit") == nil, "q still quit")
        try s.send("x")
        #expect(s.waitForFile("exit") == "0")
    }

    @Test func eightColorTerminalGetsOnlyBasicColors() throws {
        let s = try TmuxSession.started(environment: ["TERM": "screen"])
        let r = s.waitFor { Self.panes.allSatisfy($0.contains) }
        #expect(r.ok)
        let escaped = s.screenWithAttributes()
        #expect(TmuxSession.hasColor(escaped), "no colors on an 8-color terminal")
        #expect(!escaped.contains("38;5;") && !escaped.contains("48;5;"), "256-color codes sent to TERM=screen")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
    }

    @Test func asciiUnderLangC() throws {
        let s = try TmuxSession.started(width: 100, height: 30, environment: ["LANG": "C", "LC_ALL": "C"])
        let r = s.waitFor { Self.panes.allSatisfy($0.contains) }
        #expect(r.ok)
        let nonASCII = r.screen.unicodeScalars.filter { !$0.isASCII }
        #expect(nonASCII.isEmpty, "non-ASCII on a LANG=C screen:\n\(r.screen)")
        #expect(r.screen.contains("+ CPU"))
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
    }
}

@Suite struct SnapshotEndToEndTests {
    func run(_ arguments: [String]) throws -> (status: Int32, out: String) {
        let r = try runWatchbill(arguments)
        return (r.status, r.out)
    }

    @Test func pipedOutputIsAPlainTextSnapshot() throws {
        let r = try run(["--interval", "0.25"])
        #expect(r.status == 0)
        let lines = r.out.split(separator: "\n")
        #expect(lines.first?.hasPrefix("host ") == true)
        #expect(lines.contains { $0.hasPrefix("cpu  busy ") })
        #expect(lines.contains { $0.hasPrefix("mem  total ") })
        #expect(!r.out.contains("\u{1B}"), "escape sequences in piped output")
    }

    @Test func jsonSnapshot() throws {
        let r = try run(["--format", "json", "--interval", "0.25"])
        #expect(r.status == 0)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(obj["schema"] as? String == "watchbill.snapshot/1")
        let mem = try #require(obj["memory"] as? [String: Any])
        #expect((mem["total_bytes"] as? Int ?? 0) > 0)
    }

    @Test func fixtureRootWorksForContainers() throws {
        let root = TmuxSession.packageRoot.appendingPathComponent("Tests/WatchbillCollectorsTests/Fixtures/container").path
        let r = try run(["--once", "--root", root, "--interval", "0.25"])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("host 4f2a9c1d7e3b  kernel 5.15.0-1019-aws"))
        #expect(r.out.contains("disk n/a (no /proc/diskstats)"))
    }

    @Test func badArgumentsFailWithAMessage() throws {
        let r = try run(["--interval", "0"])
        #expect(r.status != 0)
        let missing = try run(["--once", "--root", "/nonexistent"])
        #expect(missing.status != 0)
    }
}
