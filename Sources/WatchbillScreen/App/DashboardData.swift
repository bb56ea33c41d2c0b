import WatchbillCore
import WatchbillDomain

/// What the panes draw: the newest snapshot plus the history the graphs need, copied out
/// of the store so rendering never holds the collector's lock.
public struct DashboardData: Sendable {
    public var snapshot: HostSnapshot?
    public var cpu: GraphData
    public var memory: GraphData
    public var networkRx: GraphData
    public var networkTx: GraphData
    /// Receive plus transmit history per interface, for the sparkline beside each row.
    public var interfaceTraffic: [String: GraphData]
    /// The last process scan; nil while the Processes pane is hidden (nothing is scanned).
    public var processes: [ProcessActivity]?
    /// Every probed target, in config order, over the window the Latency pane shows.
    public var probes: [ProbeSummary] = []

    public init(snapshot: HostSnapshot? = nil, cpu: GraphData = .empty, memory: GraphData = .empty,
                networkRx: GraphData = .empty, networkTx: GraphData = .empty,
                interfaceTraffic: [String: GraphData] = [:], processes: [ProcessActivity]? = nil) {
        self.snapshot = snapshot
        self.cpu = cpu
        self.memory = memory
        self.networkRx = networkRx
        self.networkTx = networkTx
        self.interfaceTraffic = interfaceTraffic
        self.processes = processes
    }

    /// Takes the newest `points` values of each graphed series.
    public init(store: SeriesStore, snapshot: HostSnapshot?, points: Int, processes: [ProcessActivity]? = nil) {
        func graph(_ metric: String, _ instance: String = "") -> GraphData {
            guard let s = store[SeriesKey(metric, instance)] else { return .empty }
            return GraphData(values: s.last(points).map(\.value), endIndex: s.appendedCount)
        }
        var traffic: [String: GraphData] = [:]
        for i in snapshot?.interfaces ?? [] {
            let rx = graph(Metric.networkReceive, i.name), tx = graph(Metric.networkTransmit, i.name)
            guard rx.values.count == tx.values.count, rx.endIndex == tx.endIndex else { continue }
            traffic[i.name] = GraphData(values: zip(rx.values, tx.values).map(+), endIndex: rx.endIndex)
        }
        self.init(snapshot: snapshot, cpu: graph(Metric.cpuBusy), memory: graph(Metric.memoryUsed),
                  networkRx: graph(Metric.networkReceiveTotal), networkTx: graph(Metric.networkTransmitTotal),
                  interfaceTraffic: traffic, processes: processes)
    }
}
