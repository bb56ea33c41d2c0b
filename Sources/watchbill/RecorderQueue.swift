import Dispatch
import Logging
import Synchronization
import WatchbillCore
import WatchbillRecording

/// Recording off the collection thread: a stuck disk (a hung NFS mount, a saturated array
/// in the middle of an incident) delays the recording, never the samples or the alert
/// rules. At most `capacity` ticks wait; beyond that they are dropped and counted, and a
/// write that fails stops the recording (the log says why), never the dashboard.
final class RecorderQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "watchbill.recorder")
    private let writer: RecordingWriter
    private let log: Logger
    private let capacity = 64
    private struct State {
        var pending = 0
        var dropped = 0
        var stopped = false
    }
    private let state = Mutex(State())

    init(_ writer: RecordingWriter, log: Logger) {
        self.writer = writer
        self.log = log
    }

    func append(_ snapshot: HostSnapshot, now: Double) {
        enqueue(now: now) { try $0.append(snapshot, now: now) }
    }

    /// An alert transition, a probe result or an incident entry.
    func append(kind: RecordKind, _ payload: [UInt8], now: Double) {
        enqueue(now: now) { try $0.append(kind: kind, payload, now: now) }
    }

    /// What every file of the recording starts with (the probe list), written now.
    func setPreamble(kind: RecordKind, _ payload: [UInt8]) {
        enqueue(now: 0) { try $0.setPreamble(kind: kind, payload) }
    }

    private func enqueue(now: Double, _ write: @escaping @Sendable (RecordingWriter) throws -> Void) {
        let accepted = state.withLock { s -> Bool in
            guard !s.stopped else { return false }
            guard s.pending < capacity else {
                s.dropped += 1
                return false
            }
            s.pending += 1
            return true
        }
        guard accepted else { return }
        queue.async { [self] in
            defer { state.withLock { $0.pending -= 1 } }
            do {
                try write(writer)
            } catch {
                state.withLock { $0.stopped = true }
                log.error("recording stopped: \(error)")
            }
        }
    }

    /// Waits (at most `seconds`) for what is queued to be written, at exit.
    func finish(seconds: Double = 2) {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        _ = done.wait(timeout: .now() + seconds)
        let dropped = state.withLock { $0.dropped }
        if dropped > 0 { log.warning("recording: \(dropped) records dropped while the disk was slow") }
    }
}
