/// Names one series: a metric and the instance it describes (a core, a device, a mount).
public struct SeriesKey: Hashable, Sendable, CustomStringConvertible {
    public var metric: String
    public var instance: String
    public init(_ metric: String, _ instance: String = "") {
        self.metric = metric
        self.instance = instance
    }
    public var description: String { instance.isEmpty ? metric : "\(metric){\(instance)}" }
}

/// Every series the collectors feed, each with the same capacity (the history length).
///
/// Panes and, later, the alert engine read from here; only the collection side writes.
public struct SeriesStore: Sendable {
    public let capacity: Int
    public let retention: Double
    private var series: [SeriesKey: Series] = [:]
    private var appendsSincePrune = 0

    /// `capacity` points at most per series, none older than `retention` seconds.
    public init(capacity: Int, retention: Double = .infinity) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.retention = retention
    }

    public mutating func append(_ key: SeriesKey, time: Double, value: Double) {
        series[key, default: Series(capacity: capacity, retention: retention)].append(time: time, value: value)
    }

    /// Forgets series whose newest point is older than the retention: interfaces and
    /// devices that are gone (container veths come and go) must not grow memory forever.
    public mutating func pruneStale(now: Double) {
        guard retention.isFinite else { return }
        series = series.filter { ($0.value.latest?.time ?? now) >= now - retention }
    }

    /// Prunes every `every` calls; for the per-tick path, where a full scan each second
    /// would be waste.
    public mutating func pruneStale(now: Double, every: Int) {
        appendsSincePrune += 1
        if appendsSincePrune >= every {
            appendsSincePrune = 0
            pruneStale(now: now)
        }
    }

    public subscript(key: SeriesKey) -> Series? { series[key] }
    public var keys: Dictionary<SeriesKey, Series>.Keys { series.keys }
    public var count: Int { series.count }
}
