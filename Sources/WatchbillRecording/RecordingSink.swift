/// One recording destination that outlives a failed write: the failure pauses it, and
/// `retryAfter` seconds later the next record starts a fresh file (a full disk that was
/// freed, a remounted filesystem), the damaged end left in the rotated part where readers
/// stop at it. What arrives while paused is counted, not kept.
public final class RecordingSink {
    public let writer: RecordingWriter
    public let name: String
    public let retryAfter: Double
    public private(set) var failedAt: Double?
    public private(set) var lost = 0

    public enum Outcome: Equatable {
        case written
        /// The write failed: recording paused.
        case paused(String)
        /// Paused, and not yet time to try again: the record was not written.
        case skipped
        /// A fresh file after a pause, and the record written to it.
        case resumed(lost: Int)
    }

    public init(_ writer: RecordingWriter, name: String, retryAfter: Double = 60) {
        self.writer = writer
        self.name = name
        self.retryAfter = retryAfter
    }

    /// Writes through `write`; `now` is monotonic seconds (nil: never retry on this call).
    public func write(now: Double?, _ write: (RecordingWriter) throws -> Void) -> Outcome {
        var resumedAfter: Int?
        if let failed = failedAt {
            guard let now, now - failed >= retryAfter else {
                lost += 1
                return .skipped
            }
            do {
                try writer.restart(now: now)
                resumedAfter = lost
                failedAt = nil
                lost = 0
            } catch {
                failedAt = now
                lost += 1
                return .skipped
            }
        }
        do {
            try write(writer)
        } catch {
            failedAt = now ?? failedAt ?? 0
            return .paused("\(error)")
        }
        return resumedAfter.map { .resumed(lost: $0) } ?? .written
    }
}
