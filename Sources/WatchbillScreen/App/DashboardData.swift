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

    /// Takes the newest `points` values of each graphed series, or, rewinding (`moment`, on
    /// the collection clock), `points` before the moment and half as many after it, with the
    /// moment as each graph's cursor. `marks` are placed on the graphs at their times
    /// (`clockOffset`: wall clock minus collection clock).
    public init(store: SeriesStore, snapshot: HostSnapshot?, points: Int, processes: [ProcessActivity]? = nil,
                moment: Double? = nil, marks: [TimelineMark] = [], clockOffset: Double = 0) {
        func graph(_ metric: String, _ instance: String = "") -> GraphData {
            guard let s = store[SeriesKey(metric, instance)], let newest = s.latest else { return .empty }
            let first = s.points.firstAbsoluteIndex
            var lo = max(0, s.count - points), hi = s.count
            var cursor: Int?
            if let moment {
                let at = s.position(atOrBefore: moment) ?? 0
                cursor = first + at
                hi = min(s.count, at + 1 + points / 2)
                lo = max(0, at - points)
            }
            var values: [Double] = []
            values.reserveCapacity(hi - lo)
            for i in lo..<hi { values.append(s.points[i].value) }
            var placed: [GraphMark] = []
            for m in marks {
                let t = m.wallClock - clockOffset
                // Not before the series starts nor after its newest sample: such a mark is elsewhere.
                guard t <= newest.time + 1, let at = s.position(atOrBefore: t), at >= lo, at < hi else { continue }
                placed.append(GraphMark(index: first + at, kind: m.kind))
            }
            return GraphData(values: values, endIndex: first + hi, cursor: cursor, marks: placed)
        }
        var traffic: [String: GraphData] = [:]
        for i in snapshot?.interfaces ?? [] {
            let rx = graph(Metric.networkReceive, i.name), tx = graph(Metric.networkTransmit, i.name)
            guard rx.values.count == tx.values.count, rx.endIndex == tx.endIndex else { continue }
            traffic[i.name] = GraphData(values: zip(rx.values, tx.values).map(+), endIndex: rx.endIndex, cursor: rx.cursor)
        }
        self.init(snapshot: snapshot, cpu: graph(Metric.cpuBusy), memory: graph(Metric.memoryUsed),
                  networkRx: graph(Metric.networkReceiveTotal), networkTx: graph(Metric.networkTransmitTotal),
                  interfaceTraffic: traffic, processes: processes)
    }
}
