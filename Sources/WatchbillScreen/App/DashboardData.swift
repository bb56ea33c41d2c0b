import WatchbillCore

/// What the panes draw: the newest snapshot plus the history the graphs need, copied out
/// of the store so rendering never holds the collector's lock.
public struct DashboardData: Sendable {
    public var snapshot: HostSnapshot?
    public var cpu: GraphData
    public var memory: GraphData
    public var networkRx: GraphData
    public var networkTx: GraphData

    public init(snapshot: HostSnapshot? = nil, cpu: GraphData = .empty, memory: GraphData = .empty,
                networkRx: GraphData = .empty, networkTx: GraphData = .empty) {
        self.snapshot = snapshot
        self.cpu = cpu
        self.memory = memory
        self.networkRx = networkRx
        self.networkTx = networkTx
    }

    /// Takes the newest `points` values of each graphed series.
    public init(store: SeriesStore, snapshot: HostSnapshot?, points: Int) {
        func graph(_ metric: String) -> GraphData {
            guard let s = store[SeriesKey(metric)] else { return .empty }
            return GraphData(values: s.last(points).map(\.value), endIndex: s.appendedCount)
        }
        self.init(snapshot: snapshot, cpu: graph(Metric.cpuBusy), memory: graph(Metric.memoryUsed),
                  networkRx: graph(Metric.networkReceiveTotal), networkTx: graph(Metric.networkTransmitTotal))
    }
}
