import Foundation
import Testing

/// Rewinding the live dashboard in a real terminal: into history, back by samples and by a
/// minute (clamped to what is held), to now, and out again, while collection goes on.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; end-to-end tests need it"))
struct HistoryEndToEndTests {
    static func secondsBack(_ screen: String) -> Int? {
        guard let header = screen.split(separator: "\n").first,
              let r = header.range(of: #"HISTORY \d\d:\d\d:\d\d -(\d+)s"#, options: .regularExpression) else { return nil }
        return Int(header[r].split(separator: "-").last!.dropLast())
    }

    @Test func rewindStepAndReturn() throws {
        let home = try TestHome("history")
        defer { home.remove() }
        let s = try TmuxSession.started(width: 120, height: 36, arguments: "--interval 0.25", environment: home.env)
        #expect(s.waitFor { $0.contains("CPU") && $0.contains("every 250ms") }.ok)
        usleep(4_000_000)
        try s.send("H")
        var r = s.waitFor { $0.contains("HISTORY") && $0.contains("Esc live") }
        #expect(r.ok, "H did not enter history:\n\(r.screen)")
        // Eight samples back at 250 ms: about two seconds (and the viewed tick ages as we wait).
        for _ in 0..<8 { try s.send("Left") }
        r = s.waitFor { (Self.secondsBack($0) ?? 0) >= 2 }
        #expect(r.ok, "Left did not step back:\n\(r.screen)")
        // A minute back is more than is held: the oldest tick, about the run's length ago.
        try s.send("PPage")
        r = s.waitFor { (Self.secondsBack($0) ?? 0) >= 4 }
        #expect(r.ok, "PgUp did not go to the oldest tick:\n\(r.screen)")
        // Collection goes on underneath: the header clock keeps moving while the moment stays.
        let back = Self.secondsBack(r.screen) ?? 0
        usleep(2_000_000)
        #expect((Self.secondsBack(s.screen()) ?? 0) >= back + 1, "the viewed tick should age while collection goes on")
        try s.send("?")
        #expect(s.waitFor { $0.contains("Rewinding (the header says HISTORY)") }.ok)
        try s.send("Escape")
        try s.send("G")
        r = s.waitFor { $0.contains("HISTORY") && (Self.secondsBack($0) ?? 0) <= 1 }
        #expect(r.ok, "G did not go to now:\n\(r.screen)")
        try s.send("Escape")
        r = s.waitFor { !$0.contains("HISTORY") && $0.contains("p pause") }
        #expect(r.ok, "Esc did not return to live:\n\(r.screen)")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        #expect(s.waitForFile("after") == s.file("before")?.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A recording holds what the on-call saw besides the host: the alert that fired, the
    /// probe results and an incident note. The replay shows them: the Latency pane from the
    /// recorded probes, the time bar with the alert and the note, and `--once` the alert
    /// firing at the moment.
    @Test func recordAlertsProbesAndIncidentsThenReplayThem() throws {
        let home = try TestHome("replay-events", hostUp: "P1")
        defer { home.remove() }
        let server = try ProbeServer()
        let file = home.dir.appendingPathComponent("shift.wbr").path
        let rec = try TmuxSession.started(width: 120, height: 40,
                                          arguments: "--interval 0.5 --probe \(server.url("/status/200")) --record \(file)",
                                          environment: home.env)
        var r = rec.waitFor(seconds: 20) { $0.contains("P1 FIRING") && $0.contains("http://127.0.0.") && $0.contains(" UP ") }
        #expect(r.ok, "no firing alert or probe:\n\(r.screen)")
        let made = try runWatchbill(["incident", "new", "host", "up", "drill", "--severity", "P1"], environment: home.env)
        let id = made.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(made.status == 0, "\(made)")
        #expect(try runWatchbill(["incident", "note", id, "recorded while replaying"], environment: home.env).status == 0)
        usleep(3_000_000)
        try rec.send("q")
        #expect(rec.waitForFile("exit") == "0")

        let once = try runWatchbill(["replay", file, "--once"], environment: home.env)
        #expect(once.status == 0 && once.out.contains("alerts   1 firing") && once.out.contains("P1 HostUp since"), "\(once)")
        let json = try runWatchbill(["replay", file, "--once", "--format", "json"], environment: home.env)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let firing = object?["alerts_firing"] as? [[String: Any]]
        #expect(firing?.first?["name"] as? String == "HostUp", "\(json.out)")

        let s = try TmuxSession.started(width: 120, height: 40, arguments: "replay \(file) --speed 4", environment: home.env)
        r = s.waitFor { screen in
            let lines = screen.split(separator: "\n")
            guard lines.count >= 2 else { return false }
            let bar = lines[lines.count - 2]
            return screen.contains("REPLAY") && bar.contains("▼") && bar.contains("◆") && screen.contains("Latency")
                && screen.contains("http://127.0.0.") && screen.contains(" UP ")
        }
        #expect(r.ok, "the replay lacks the time bar's marks or the recorded probe:\n\(r.screen)")
        // Seek to the start, paused: the header shows the first tick's time, as --once says it.
        let first = try runWatchbill(["replay", file, "--once", "--at", "+0s", "--format", "json"], environment: home.env)
        let firstTime = try #require((JSONSerialization.jsonObject(with: Data(first.out.utf8)) as? [String: Any])?["time_unix_seconds"] as? Double)
        let clock = DateFormatter()
        clock.dateFormat = "HH:mm:ss"
        clock.timeZone = .current
        let expected = "REPLAY \(clock.string(from: Date(timeIntervalSince1970: firstTime.rounded(.down)))) paused 1/"
        try s.send("Space")
        try s.send("g")
        r = s.waitFor { $0.contains(expected) }
        #expect(r.ok, "expected \(expected) in the header:\n\(r.screen)")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
    }

    /// The flight recorder (on by default): an SSH drop (SIGHUP) ends the dashboard, and the
    /// minutes before it replay with `--flight`; the next start keeps them as a rotated part.
    @Test func flightRecorderKeepsTheMinutesBeforeAHangUp() throws {
        let home = try TestHome("flight")
        defer { home.remove() }
        let s = try TmuxSession.started(width: 100, height: 30, arguments: "--interval 0.5", environment: home.env)
        #expect(s.waitFor { $0.contains("CPU") }.ok)
        usleep(3_000_000)
        let pid = try #require(s.waitForFile("pid"))
        kill(pid_t(pid)!, SIGHUP)
        #expect(s.waitForFile("exit") == "0")
        let flight = home.dir.appendingPathComponent("watchbill/flight.wbr").path
        #expect(FileManager.default.fileExists(atPath: flight))
        let first = try runWatchbill(["replay", "--flight", "--once", "--format", "json"], environment: home.env)
        #expect(first.status == 0, "\(first)")
        let firstEnd = try #require((JSONSerialization.jsonObject(with: Data(first.out.utf8)) as? [String: Any])?["time_unix_seconds"] as? Double)

        // The next dashboard starts a new part; the hang-up's minutes are still replayed first.
        let again = try TmuxSession.started(width: 100, height: 30, arguments: "--interval 0.5", environment: home.env)
        #expect(again.waitFor { $0.contains("CPU") }.ok)
        usleep(1_500_000)
        try again.send("q")
        #expect(again.waitForFile("exit") == "0")
        #expect(FileManager.default.fileExists(atPath: flight + ".1"))
        let start = try runWatchbill(["replay", "--flight", "--once", "--at", "+0s", "--format", "json"], environment: home.env)
        let later = try runWatchbill(["replay", "--flight", "--once", "--format", "json"], environment: home.env)
        let startTime = (try JSONSerialization.jsonObject(with: Data(start.out.utf8)) as? [String: Any])?["time_unix_seconds"] as? Double
        let laterTime = (try JSONSerialization.jsonObject(with: Data(later.out.utf8)) as? [String: Any])?["time_unix_seconds"] as? Double
        #expect(startTime != nil && startTime! < firstEnd, "\(start)")
        #expect(laterTime != nil && laterTime! > firstEnd + 1, "\(later)")

        // Off means off; and without a file or --flight, replay says what it needs.
        let off = try TestHome("flight-off")
        defer { off.remove() }
        let quiet = try TmuxSession.started(width: 100, height: 30, arguments: "--flight-recorder off", environment: off.env)
        #expect(quiet.waitFor { $0.contains("CPU") }.ok)
        try quiet.send("q")
        #expect(quiet.waitForFile("exit") == "0")
        #expect(!FileManager.default.fileExists(atPath: off.dir.appendingPathComponent("watchbill/flight.wbr").path))
        let none = try runWatchbill(["replay", "--flight", "--once"], environment: off.env)
        #expect(none.status == 2 && none.err.contains("is the flight recorder on?"), "\(none)")
        let neither = try runWatchbill(["replay", "--once"], environment: off.env)
        #expect(neither.status != 0 && neither.err.contains("give a recording FILE, or --flight"), "\(neither)")
    }

    /// `R` starts a recording in the data directory and stops it; the file replays. With
    /// `--record`, `R` stops that one.
    @Test func recordKeyStartsAndStops() throws {
        let home = try TestHome("record-key")
        defer { home.remove() }
        let s = try TmuxSession.started(width: 120, height: 36, arguments: "--interval 0.5", environment: home.env)
        #expect(s.waitFor { $0.contains("CPU") }.ok)
        try s.send("R")
        func rec(_ screen: String) -> Bool { screen.split(separator: "\n").first?.hasSuffix(" REC") == true }
        var r = s.waitFor { rec($0) && $0.contains("recording to ") && $0.contains("R stops") }
        #expect(r.ok, "R did not start a recording:\n\(r.screen)")
        usleep(2_000_000)
        try s.send("R")
        r = s.waitFor { !rec($0) && $0.contains("recording stopped: ") }
        #expect(r.ok, "R did not stop the recording:\n\(r.screen)")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        let dir = home.dir.appendingPathComponent("watchbill/recordings")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".wbr") }
        #expect(files.count == 1)
        let once = try runWatchbill(["replay", dir.appendingPathComponent(files.first ?? "none").path, "--once"], environment: home.env)
        #expect(once.status == 0 && once.out.hasPrefix("host "), "\(once)")

        let file = home.dir.appendingPathComponent("given.wbr").path
        let given = try TmuxSession.started(width: 120, height: 36, arguments: "--record \(file)", environment: home.env)
        #expect(given.waitFor { $0.contains("CPU") && rec($0) }.ok)
        try given.send("R")
        r = given.waitFor { !rec($0) && $0.contains("recording stopped: \(file)") }
        #expect(r.ok, "R did not stop --record:\n\(r.screen)")
        try given.send("q")
        #expect(given.waitForFile("exit") == "0")
    }

    /// The alert's age on the Alerts row (`P1  FIRING   HostUp  ...  1.46  4s`).
    static func alertAge(_ screen: String, _ name: String) -> Int? {
        guard let line = screen.split(separator: "\n").first(where: { $0.contains("FIRING") && $0.contains(name) && !$0.contains(":") }),
              let r = line.range(of: #"\s(\d+)s\s"#, options: .regularExpression) else { return nil }
        return Int(line[r].trimmingCharacters(in: .whitespaces).dropLast())
    }

    /// A replay shows the recording's moment: paused, an alert's age stands still (it was
    /// measured against the wall clock, so it grew, and a rewind made it older); and a
    /// replay writes nothing: `i` on a recorded alert opens no incident in the live store.
    @Test func aReplayIsReadOnlyAndAgesFromTheRecordedClock() throws {
        let home = try TestHome("replay-readonly", hostUp: "P1")
        defer { home.remove() }
        let file = home.dir.appendingPathComponent("drill.wbr").path
        let rec = try TmuxSession.started(width: 120, height: 40, arguments: "--interval 0.5 --record \(file)", environment: home.env)
        #expect(rec.waitFor(seconds: 20) { $0.contains("P1 FIRING") }.ok)
        usleep(4_000_000)
        try rec.send("q")
        #expect(rec.waitForFile("exit") == "0")

        let s = try TmuxSession.started(width: 120, height: 40, arguments: "replay \(file) --speed 2", environment: home.env)
        var r = s.waitFor(seconds: 20) { Self.alertAge($0, "HostUp") != nil && $0.contains("REPLAY") }
        #expect(r.ok, "the replay shows no firing HostUp:\n\(r.screen)")
        try s.send("Space")
        r = s.waitFor { $0.contains(" paused ") }
        #expect(r.ok, "Space did not pause:\n\(r.screen)")
        let age = try #require(Self.alertAge(r.screen, "HostUp"))
        #expect(age < 30, "the recording is a few seconds long:\n\(r.screen)")
        usleep(3_000_000)
        let later = s.screen()
        #expect(Self.alertAge(later, "HostUp") == age, "paused, the age must not move:\n\(later)")

        // Back to the first tick, when HostUp (no `for`) had just fired: 0s, not older.
        try s.send("g")
        r = s.waitFor { $0.contains(" paused 1/") }
        #expect(r.ok && Self.alertAge(r.screen, "HostUp") == 0, "at the first tick HostUp had just fired:\n\(r.screen)")
        try s.send("G")
        r = s.waitFor { Self.alertAge($0, "HostUp") != nil }
        try s.send("A")
        r = s.waitFor { $0.contains("Alerts") && $0.contains("i incident") }
        try s.send("i")
        r = s.waitFor { $0.contains("a replay is read-only: incidents cannot be changed here") }
        #expect(r.ok, "i on a recorded alert did not say the replay is read-only:\n\(r.screen)")
        try s.send("?")
        r = s.waitFor { $0.contains("read-only: ages on the recording's clock") }
        #expect(r.ok, "the help does not say a replay is read-only:\n\(r.screen)")
        try s.send("Escape")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        let list = try runWatchbill(["incident", "list", "--all", "--format", "json"], environment: home.env)
        #expect(list.status == 0 && !list.out.contains("HostUp"), "a replay opened an incident:\n\(list.out)")
    }
}
