import DequeModule
import WatchbillCore

/// The last `retention` seconds of whole ticks, kept encoded (about 700 bytes each, 2.5 MB
/// for an hour at 1 s), so rewinding shows every pane as it was, not only the graphed
/// series. Indexes are absolute (ticks ever appended), so a moment being viewed keeps its
/// index while newer ticks arrive and older ones fall off.
public struct SnapshotHistory: Sendable {
    public struct Entry: Sendable {
        public var time: Double
        public var wallClock: Double
        public var bytes: [UInt8]
    }

    public let retention: Double
    private var entries: Deque<Entry> = []
    public private(set) var appendedCount = 0

    public init(retention: Double) {
        self.retention = retention
    }

    public var count: Int { entries.count }
    /// The absolute index of the oldest tick held (equal to `appendedCount` when empty).
    public var firstIndex: Int { appendedCount - entries.count }
    /// The absolute index of the newest tick, if any.
    public var lastIndex: Int? { entries.isEmpty ? nil : appendedCount - 1 }
    /// Bytes held by the encoded ticks (what the history costs in memory, less overhead).
    public private(set) var encodedBytes = 0

    public mutating func append(_ snapshot: HostSnapshot) {
        append(SnapshotCodec.encode(snapshot), time: snapshot.time, wallClock: snapshot.wallClock)
    }

    /// A tick already encoded (the recorder's bytes, shared).
    public mutating func append(_ bytes: [UInt8], time: Double, wallClock: Double) {
        entries.append(Entry(time: time, wallClock: wallClock, bytes: bytes))
        encodedBytes += bytes.count
        appendedCount += 1
        while let first = entries.first, first.time < time - retention {
            encodedBytes -= first.bytes.count
            entries.removeFirst()
        }
    }

    public mutating func removeAll() {
        entries.removeAll()
        encodedBytes = 0
    }

    public func entry(_ index: Int) -> Entry? {
        let i = index - firstIndex
        return entries.indices.contains(i) ? entries[i] : nil
    }

    /// The tick at absolute `index`, decoded; nil when it is no longer (or not yet) held.
    public func snapshot(_ index: Int) -> HostSnapshot? {
        entry(index).flatMap { try? SnapshotCodec.decode($0.bytes) }
    }

    /// The absolute index of the last tick taken at or before `wallClock` (the first tick
    /// when all are later); nil when empty.
    public func index(atOrBefore wallClock: Double) -> Int? {
        guard !entries.isEmpty else { return nil }
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].wallClock <= wallClock { lo = mid + 1 } else { hi = mid }
        }
        return firstIndex + max(0, lo - 1)
    }
}
