import Foundation
import Logging
import Testing
import WatchbillRules
import WatchbillRuntime

/// The history is cut to eight days at a start, line by line, and left alone when young.
@Suite struct AlertHistoryStoreTests {
    let now = 1_796_000_000.0
    let day = 86_400.0

    func line(_ at: Double, _ to: AlertPhase?) -> String {
        AlertHistoryJournal.encode(.transition(AlertTransition(labels: Labels(["alertname": "Old"]), from: nil, to: to, at: at)))
    }

    @Test func oldEntriesGoAndAStandingSilenceAndAnUnreadableLineStay() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let silence = AlertHistoryJournal.encode(.action(.silence(Silence(
            id: "s1", matchers: [try LabelMatcher("alertname", .equal, "Old")], startsAt: now - 20 * day, endsAt: now + day,
            createdBy: "alice", comment: "long"))))
        let lines = [line(now - 10 * day, .firing), silence, "garbage line", line(now - 9 * day, nil), line(now - day, .pending)]
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        AlertHistoryStore.compact(at: now, log: Logger(label: "test"), path: path)
        let kept = try String(contentsOfFile: path, encoding: .utf8)
        #expect(kept == [silence, "garbage line", line(now - day, .pending)].joined(separator: "\n") + "\n")

        // Young from its first line: not rewritten (its modification time stays).
        try (line(now - day, .pending) + "\n" + line(now - 20 * day, .firing) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let written = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        usleep(20_000)
        AlertHistoryStore.compact(at: now, log: Logger(label: "test"), path: path)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == written)
    }
}
