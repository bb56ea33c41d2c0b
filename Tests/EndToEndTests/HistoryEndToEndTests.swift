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
}
