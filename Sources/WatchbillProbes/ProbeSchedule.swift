/// When each probe runs next. Every probe keeps its own fixed period; its phase is spread
/// over the interval by a hash of its name (the same after a restart, as Prometheus does
/// with scrape offsets), so a thousand probes at 1 s do not all start on the same tick.
public struct ProbeSchedule: Sendable {
    struct Entry: Sendable {
        var due: Double
        var probe: Int
    }

    let intervals: [Double]
    /// A binary min-heap on `due`.
    private var heap: [Entry] = []
    /// Probe starts skipped because the runner was more than one interval late.
    public private(set) var missed = 0

    /// `now` is on the same monotonic clock the runner later passes to `due(at:)`.
    public init(names: [String], intervals: [Double], now: Double) {
        self.intervals = intervals
        heap.reserveCapacity(names.count)
        for (i, name) in names.enumerated() {
            let offset = Double(stableHash(name) % 10_000) / 10_000 * intervals[i]
            push(Entry(due: now + offset, probe: i))
        }
    }

    /// The earliest due time, if any probe is scheduled.
    public var nextDue: Double? { heap.first?.due }

    /// Pops every probe due at `now`, with how late each starts, and schedules its next run.
    /// A probe more than a whole interval late skips the runs it missed (counted in
    /// `missed`) instead of firing a burst.
    public mutating func due(at now: Double) -> [(probe: Int, lag: Double)] {
        var out: [(probe: Int, lag: Double)] = []
        while let top = heap.first, top.due <= now {
            var entry = popMin()
            out.append((entry.probe, now - entry.due))
            let period = intervals[entry.probe]
            entry.due += period
            if entry.due <= now {
                let behind = ((now - entry.due) / period).rounded(.down) + 1
                missed += Int(min(behind, 1e9))
                entry.due += behind * period
            }
            push(entry)
        }
        return out
    }

    private mutating func push(_ e: Entry) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].due < heap[parent].due else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func popMin() -> Entry {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && heap[l].due < heap[m].due { m = l }
                if r < heap.count && heap[r].due < heap[m].due { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}

/// FNV-1a: Swift's `hashValue` is seeded per process, and the offsets must survive a restart.
func stableHash(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 {
        h ^= UInt64(b)
        h &*= 0x100_0000_01b3
    }
    return h
}
