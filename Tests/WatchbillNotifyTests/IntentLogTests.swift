import Foundation
import Testing
@testable import WatchbillNotify

final class IntentLogTests {
    let dir: String
    var path: String { dir + "/intents.log" }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    init() throws { dir = try temporaryDirectory("wb-intents") }

    func contents() throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
    func write(_ text: String) throws { try text.write(toFile: path, atomically: false, encoding: .utf8) }

    @Test func aSequencePastAnyCountIsDamageNotATrap() throws {
        try write("done 18446744073709551615\nintent 3 1000.0 chat {}\n")
        let log = try IntentLog(path: path, now: 1000)
        #expect(log.recovery.problems.map(\.cause) == ["sequence 18446744073709551615 is past any journal's count"])
        #expect(try log.append(destination: "chat", body: "{}", at: 1001).seq == 4)
    }

    @Test func anIntentWithoutDoneIsPendingAfterACrash() throws {
        var log: IntentLog? = try IntentLog(path: path, now: 1000)
        let body = "[{\"labels\":{\"alertname\":\"A B\"}}]\nsecond line \\ with backslash"
        let first = try #require(try log?.append(destination: "am main", body: body, at: 1000))
        let second = try #require(try log?.append(destination: "chat", body: "{}", at: 1001))
        #expect(first.seq < second.seq)
        try log?.markDone(second.seq)
        log = nil  // the crash: no clean shutdown beyond what was fsync'ed
        let reopened = try IntentLog(path: path, now: 1100)
        #expect(reopened.recovery.pending == [first])
        #expect(reopened.pending() == [first])
        #expect(reopened.pending().first?.body == body && reopened.pending().first?.destination == "am main")
        #expect(reopened.recovery.problems.isEmpty)
        // New intents never reuse a number still in the file.
        #expect(try reopened.append(destination: "chat", body: "{}", at: 1100).seq > second.seq)
    }

    @Test func eachLineIsOnDiskWhenTheCallReturns() throws {
        let log = try IntentLog(path: path, now: 0)
        let intent = try log.append(destination: "am", body: "{\"a\":1}", at: 5)
        #expect(try contents() == "intent \(intent.seq) 5.0 am {\"a\":1}\n")
        try log.markDone(intent.seq)
        #expect(try contents().hasSuffix("done \(intent.seq)\n"))
        #expect(log.pending().isEmpty)
    }

    @Test func aTornLastLineIsSkippedAndReported() throws {
        try write("intent 1 100.0 am {\"ok\":1}\nintent 2 100.0 am {\"cut")
        let log = try IntentLog(path: path, now: 200)
        #expect(log.pending().map(\.seq) == [1])
        #expect(log.recovery.problems.count == 1)
        #expect(log.recovery.problems.first?.line == 2)
        #expect(log.recovery.problems.first?.cause.contains("torn") == true)
        // Rewritten on open, so the next append starts on a line of its own.
        _ = try log.append(destination: "am", body: "{}", at: 201)
        #expect(try IntentLog(path: path, now: 202).recovery.problems.isEmpty)
    }

    @Test func malformedLinesAreReportedWithLineNumbersAndTheRestIsRead() throws {
        try write("""
        intent 1 100.0 am {}
        intent x 100.0 am {}
        garbage here
        done
        intent 2 100.0 am bad\\qescape
        intent 3 100.0 am {}
        done 1

        """)
        let log = try IntentLog(path: path, now: 200)
        #expect(log.pending().map(\.seq) == [3])
        #expect(log.recovery.problems.map(\.line) == [2, 3, 4, 5])
        #expect(log.recovery.problems[0].cause.contains("'x'"))
        #expect(log.recovery.problems[1].cause.contains("unknown record 'garbage'"))
        #expect(log.recovery.problems[1].description.hasPrefix("line 3: "))
    }

    @Test func intentsOlderThanMaxAgeAreDroppedAndCounted() throws {
        try write("intent 1 100.0 am {}\nintent 2 3000.0 am {}\nintent 3 3700.0 am {}\n")
        let log = try IntentLog(path: path, now: 3800, limits: IntentLog.Limits(maxAge: 3600))
        #expect(log.pending().map(\.seq) == [2, 3])
        #expect(log.recovery.droppedAsOld == 1)
        // Gone from the file too, not just from memory.
        #expect(try !contents().contains("intent 1 "))
    }

    @Test func openingRewritesTheFileWithOnlyPendingIntents() throws {
        try write("intent 1 100.0 am {}\ndone 1\nintent 2 100.0 chat {}\nintent 3 100.0 am {}\ndone 3\n")
        _ = try IntentLog(path: path, now: 100)
        #expect(try contents() == "intent 2 100.0 chat {}\n")
    }

    @Test func growingPastTheLineLimitCompactsKeepingPendingIntents() throws {
        let log = try IntentLog(path: path, now: 0, limits: IntentLog.Limits(maxLines: 10))
        let kept = try log.append(destination: "slow", body: "{\"kept\":true}", at: 0)
        for i in 0..<20 {
            let done = try log.append(destination: "am", body: "{\"i\":\(i)}", at: 0)
            try log.markDone(done.seq)
        }
        #expect(log.size.lines < 10)
        #expect(log.pending() == [kept])
        let text = try contents()
        #expect(text.contains("{\"kept\":true}"))
        #expect(!text.contains("{\"i\":0}"))
        #expect(try IntentLog(path: path, now: 0).pending() == [kept])
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test func growingPastTheByteLimitCompacts() throws {
        let log = try IntentLog(path: path, now: 0, limits: IntentLog.Limits(maxBytes: 4096))
        let big = String(repeating: "x", count: 1000)
        for _ in 0..<10 { try log.markDone(try log.append(destination: "am", body: big, at: 0).seq) }
        #expect(log.size.bytes < 4096)
        #expect(try contents().utf8.count == log.size.bytes)
    }

    @Test func anUnwritablePlaceIsAnErrorWithThePathAndCause() {
        #expect {
            _ = try IntentLog(path: "/proc/wb-not-writable/intents.log", now: 0)
        } throws: { error in
            "\(error)".contains("/proc/wb-not-writable") && "\(error)".contains("failed")
        }
    }
}
