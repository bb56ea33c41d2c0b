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
    private var series: [SeriesKey: Series] = [:]

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public mutating func append(_ key: SeriesKey, time: Double, value: Double) {
        series[key, default: Series(capacity: capacity)].append(time: time, value: value)
    }

    public subscript(key: SeriesKey) -> Series? { series[key] }
    public var keys: Dictionary<SeriesKey, Series>.Keys { series.keys }
    public var count: Int { series.count }
}
