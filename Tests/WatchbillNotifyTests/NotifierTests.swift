import Dispatch
import Foundation
import Synchronization
import Testing
import WatchbillCore
@testable import WatchbillNotify

/// Time that passes only when the notifier waits: a ten-minute retry schedule runs at once.
final class FakeClock: NotifierClock {
    private let state = Mutex((now: 0.0, waits: [Double]()))
    func now() -> Double { state.withLock { $0.now } }
    func wait(_ seconds: Double, wake: DispatchSemaphore) {
        state.withLock {
            $0.now += seconds
            $0.waits.append(seconds)
        }
    }
    var waits: [Double] { state.withLock { $0.waits } }
}

/// Answers each POST with the next scripted result (the last one repeats) and records
/// what was asked, with the fake time of each attempt.
final class ScriptedTransport: Transport {
    struct Call {
        var url: String
        var body: String
        var headers: [Header]
        var at: Double
    }

    private let state: Mutex<(script: [PostResult], calls: [Call])>
    let clock: FakeClock

    init(_ script: [PostResult], clock: FakeClock) {
        state = Mutex((script, []))
        self.clock = clock
    }

    func post(url: String, body: String, headers: [Header], timeout: Double) -> PostResult {
        let at = clock.now()
        return state.withLock { s in
            s.calls.append(Call(url: url, body: body, headers: headers, at: at))
            return s.script.count > 1 ? s.script.removeFirst() : s.script[0]
        }
    }

    var calls: [Call] { state.withLock { $0.calls } }
}

final class LogLines: Sendable {
    private let lines = Mutex([String]())
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

final class NotifierTests {
    let dir: String
    let clock = FakeClock()
    let lines = LogLines()
    let am = Destination(kind: .alertmanager, name: "am", url: "http://am.example:9093", bearerToken: Secret("tok-AM-123"))
    let alert = NotifyAlert(labels: ["alertname": "ApiDown"], startsAt: 0, endsAt: 240, status: .firing)

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    init() throws { dir = try temporaryDirectory("wb-notifier") }

    func notifier(_ transport: ScriptedTransport, destinations: [Destination]? = nil, giveUpAfter: Double = 600,
                  log: IntentLog? = nil) throws -> Notifier {
        let intentLog = try log ?? IntentLog(path: dir + "/intents.log", now: 0)
        let logLines = lines
        return Notifier(destinations: destinations ?? [am], intentLog: intentLog, transport: transport, clock: clock,
                        settings: Notifier.Settings(backoff: Backoff(jitter: 0), giveUpAfter: giveUpAfter),
                        log: { logLines.append($0) })
    }

    @Test func deliversOnceWithTheBodyAndBearerToken() throws {
        let transport = ScriptedTransport([PostResult(status: 200)], clock: clock)
        let n = try notifier(transport)
        n.start()
        n.enqueue([alert], now: 0)
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        let call = try #require(transport.calls.first)
        #expect(transport.calls.count == 1)
        #expect(call.url == "http://am.example:9093/api/v2/alerts")
        #expect(call.body == AlertmanagerV2.alertsBody([alert]))
        #expect(call.headers.map { "\($0.name): \($0.value.revealed)" } == ["Authorization: Bearer tok-AM-123"])
        #expect(n.counters.sent == 1 && n.counters.pending == 0 && n.counters.failedAttempts == 0)
        #expect(try IntentLog(path: dir + "/intents.log", now: 0).pending().isEmpty)
    }

    @Test func retriesServerErrorsWithDoublingBackoff() throws {
        let failures = Array(repeating: PostResult(status: 503, error: "HTTP 503"), count: 8)
        let transport = ScriptedTransport(failures + [PostResult(status: 200)], clock: clock)
        let n = try notifier(transport)
        n.start()
        n.enqueue([alert], now: 0)
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        let times = transport.calls.map(\.at)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps == [1, 2, 4, 8, 16, 32, 60, 60])
        #expect(n.counters.sent == 1 && n.counters.failedAttempts == 8 && n.counters.gaveUp == 0)
        #expect(lines.all.contains { $0.contains("attempt 3 failed") && $0.contains("retrying in 4.0 s") })
    }

    @Test func tooManyRequestsAndTransportErrorsAreRetried() throws {
        let transport = ScriptedTransport([PostResult(status: 429, error: "HTTP 429"),
                                           PostResult(status: nil, error: "connection refused"),
                                           PostResult(status: 200)], clock: clock)
        let n = try notifier(transport)
        n.start()
        n.enqueue([alert], now: 0)
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        #expect(transport.calls.count == 3 && n.counters.sent == 1 && n.counters.failedAttempts == 2)
    }

    @Test func aClientErrorIsNotRetriedAndIsMarkedDone() throws {
        let transport = ScriptedTransport([PostResult(status: 400, error: "HTTP 400: bad labels")], clock: clock)
        let n = try notifier(transport)
        n.start()
        n.enqueue([alert], now: 0)
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        #expect(transport.calls.count == 1)
        #expect(n.counters.rejected == 1 && n.counters.sent == 0 && n.counters.failedAttempts == 0)
        #expect(lines.all.contains { $0.contains("refused, not retried") && $0.contains("bad labels") })
        #expect(try IntentLog(path: dir + "/intents.log", now: 0).pending().isEmpty)
    }

    @Test func givesUpAfterTheMaximumTimeAndSaysSo() throws {
        let transport = ScriptedTransport([PostResult(status: 502, error: "HTTP 502")], clock: clock)
        let n = try notifier(transport, giveUpAfter: 600)
        n.start()
        n.enqueue([alert], now: 0)
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        let times = transport.calls.map(\.at)
        // 0, 1, 3, 7, 15, 31, 63, then every 60 s; the next would start past 600 s.
        #expect(times == [0, 1, 3, 7, 15, 31, 63, 123, 183, 243, 303, 363, 423, 483, 543])
        #expect(n.counters.gaveUp == 1 && n.counters.failedAttempts == 15 && n.counters.pending == 0)
        #expect(lines.all.contains { $0.contains("gave up after 15 attempts over 543 s") })
        #expect(try IntentLog(path: dir + "/intents.log", now: 0).pending().isEmpty)
    }

    @Test func aDestinationThatIsDownDoesNotHoldUpAnotherNorReordersItsOwn() throws {
        let hook = Destination(kind: .webhook, name: "hook", url: "http://hook.example/x")
        final class ByURL: Transport {
            let clock: FakeClock
            let calls = Mutex([(url: String, body: String, at: Double)]())
            init(clock: FakeClock) { self.clock = clock }
            func post(url: String, body: String, headers: [Header], timeout: Double) -> PostResult {
                calls.withLock { $0.append((url, body, clock.now())) }
                return url.contains("am.example") ? PostResult(status: 503, error: "HTTP 503") : PostResult(status: 200)
            }
        }
        let transport = ByURL(clock: clock)
        let n = Notifier(destinations: [am, hook], intentLog: try IntentLog(path: dir + "/intents.log", now: 0),
                         transport: transport, clock: clock,
                         settings: Notifier.Settings(backoff: Backoff(jitter: 0), giveUpAfter: 30), log: { _ in })
        let first = NotifyAlert(labels: ["alertname": "First"], startsAt: 0, endsAt: 240, status: .firing)
        let second = NotifyAlert(labels: ["alertname": "Second"], startsAt: 0, endsAt: 240, status: .firing)
        n.enqueue([first], now: 0)
        n.enqueue([second], now: 0)
        n.start()
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        let calls = transport.calls.withLock { $0 }
        // Both webhook requests go out at once, while Alertmanager's first is still being retried.
        #expect(calls.filter { $0.url.contains("hook") }.map(\.at) == [0, 0])
        // Alertmanager's: all attempts of the first (0, 1, 3, 7, 15; the next would pass 30 s), then the second.
        let amCalls = calls.filter { $0.url.contains("am.example") }
        #expect(amCalls.map(\.at) == [0, 1, 3, 7, 15, 15, 16, 18, 22, 30])
        #expect(amCalls.map { $0.body.contains("First") } == Array(repeating: true, count: 5) + Array(repeating: false, count: 5))
        #expect(n.counters.sent == 2 && n.counters.gaveUp == 2)
    }

    @Test func pendingIntentsFromTheLastRunAreSentAtStart() throws {
        let path = dir + "/intents.log"
        do {
            let log = try IntentLog(path: path, now: 0)
            _ = try log.append(destination: "am", body: "[\"left over\"]", at: 0)
            _ = try log.append(destination: "gone", body: "[\"nobody\"]", at: 0)
            try log.markDone(try log.append(destination: "am", body: "[\"done\"]", at: 0).seq)
        }
        let transport = ScriptedTransport([PostResult(status: 200)], clock: clock)
        let n = try notifier(transport, log: try IntentLog(path: path, now: 10))
        n.enqueue([alert], now: 10)  // before start: queued once, not replayed again
        n.start()
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        // The older one first.
        #expect(transport.calls.map(\.body) == ["[\"left over\"]", AlertmanagerV2.alertsBody([alert])])
        #expect(lines.all.contains { $0.contains("re-sending 2") })
        #expect(lines.all.contains { $0.contains("'gone'") })
        #expect(try IntentLog(path: path, now: 20).pending().isEmpty)
    }

    @Test func startReportsWhatTheIntentLogSkippedAndDropped() throws {
        let path = dir + "/intents.log"
        try "intent 1 0.0 am [1]\nintent 2 5000.0 am [2]\nintent 3 5000.0 am [3".write(toFile: path, atomically: false,
                                                                                    encoding: .utf8)
        let transport = ScriptedTransport([PostResult(status: 200)], clock: clock)
        let n = try notifier(transport, log: try IntentLog(path: path, now: 5000))
        n.start()
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        #expect(transport.calls.map(\.body) == ["[2]"])
        #expect(lines.all.contains { $0.contains("skipped line 3: torn") })
        #expect(lines.all.contains { $0.contains("dropped 1 unsent notification(s) older than 3600 s") })
    }

    @Test func stopLeavesUnsentIntentsInTheLog() throws {
        let gate = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        final class Blocking: Transport {
            let gate: DispatchSemaphore
            let entered: DispatchSemaphore
            init(_ gate: DispatchSemaphore, _ entered: DispatchSemaphore) {
                self.gate = gate
                self.entered = entered
            }
            func post(url: String, body: String, headers: [Header], timeout: Double) -> PostResult {
                entered.signal()
                _ = gate.wait(timeout: .now() + 5)
                return PostResult(status: nil, error: "timed out")
            }
        }
        let path = dir + "/intents.log"
        let n = Notifier(destinations: [am], intentLog: try IntentLog(path: path, now: 0),
                         transport: Blocking(gate, entered), clock: clock, log: { _ in })
        n.start()
        n.enqueue([alert], now: 0)
        try #require(entered.wait(timeout: .now() + 5) == .success)
        let started = Date()
        #expect(!n.stop(timeout: 0.2))  // the POST is still in flight
        #expect(Date().timeIntervalSince(started) < 2)
        gate.signal()
        #expect(n.stop(timeout: 5))
        #expect(n.stop(timeout: 0))
        #expect(try IntentLog(path: path, now: 1).pending().count == 1)
    }

    @Test func aFullQueueDropsTheOldest() throws {
        let transport = ScriptedTransport([PostResult(status: 200)], clock: clock)
        let n = Notifier(destinations: [am], intentLog: try IntentLog(path: dir + "/intents.log", now: 0),
                         transport: transport, clock: clock, settings: Notifier.Settings(queueCapacity: 2),
                         log: { [lines] in lines.append($0) })
        for i in 0..<3 {
            n.enqueue([NotifyAlert(labels: ["alertname": "A\(i)"], startsAt: 0, endsAt: 240, status: .firing)], now: 0)
        }
        #expect(n.counters.dropped == 1 && n.counters.pending == 2)
        n.start()
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        #expect(transport.calls.map { $0.body.contains("A0") } == [false, false])
        #expect(lines.all.contains { $0.contains("queue full") })
    }

    @Test func logLinesNeverCarryTokensOrURLPasswords() throws {
        let secretURL = Destination(kind: .webhook, name: "hook", url: "https://bot:pa55word@hook.example/x",
                                    bearerToken: Secret("tok-HOOK-456"))
        // A careless transport (not HTTPPost) echoing credentials in its error text.
        let transport = ScriptedTransport([
            PostResult(status: 500, error: "server said: Authorization: Bearer tok-AM-123"),
            PostResult(status: 401, error: "POST https://bot:pa55word@hook.example/x refused tok-HOOK-456"),
        ], clock: clock)
        let n = try notifier(transport, destinations: [am, secretURL])
        n.start()
        n.enqueue([alert], now: 0)
        #expect(n.waitUntilIdle(timeout: 5))
        n.stop(timeout: 5)
        let all = lines.all.joined(separator: "\n")
        #expect(!lines.all.isEmpty)
        #expect(!all.contains("tok-AM-123") && !all.contains("tok-HOOK-456") && !all.contains("pa55word"))
        #expect(all.contains("<redacted>"))
        #expect(!"\(secretURL)".contains("pa55word") && !"\(secretURL)".contains("tok-HOOK-456"))
        #expect(!"\(am)".contains("tok-AM-123"))
    }
}

struct BackoffTests {
    @Test func doublesFromOneSecondUpToAMinute() {
        let b = Backoff(jitter: 0)
        #expect((1...9).map { b.delay(afterFailures: $0, random: 0.5) } == [1, 2, 4, 8, 16, 32, 60, 60, 60])
        #expect(b.delay(afterFailures: 500, random: 0) == 60)
    }

    @Test func jitterStretchesByAtMostItsFraction() {
        let b = Backoff(jitter: 0.1)
        #expect(b.delay(afterFailures: 3, random: 0) == 4)
        #expect(abs(b.delay(afterFailures: 3, random: 0.999) - 4.3996) < 1e-9)
        #expect(b.delay(afterFailures: 10, random: 0.5) == 63)
    }
}
