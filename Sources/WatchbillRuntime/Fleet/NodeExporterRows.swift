import WatchbillCore
import WatchbillFleet
import WatchbillScreen

/// The fleet table's rows from scraped node_exporters (`--node`).
public enum NodeExporterRows {
    /// One host's row at `now` (wall clock): its newest figures, the fullest filesystem,
    /// all interfaces' rates summed, the CPU sparkline's last `points`, and how old it is.
    public static func row(_ h: Fleet.Host, now: Double, points: Int) -> FleetRow {
        let s = h.latest
        let status: FleetRow.Status
        switch h.status {
        case .waiting: status = .waiting
        case .up: status = .up
        case .stale(let why): status = .stale(why)
        case .down(let why): status = .down(why)
        }
        let worst = s?.filesystems?.max { $0.usedFraction < $1.usedFraction }.map { (mount: $0.mount.mountPoint, used: $0.usedFraction) }
        let history = h.store[SeriesKey(Metric.cpuBusy)].map { GraphData(values: $0.last(points).map(\.value), endIndex: $0.appendedCount) }
        return FleetRow(id: h.target.instance, name: h.name, status: status, cpu: s?.cpuTotal?.busy, memory: s?.memory?.usedFraction,
                        worstDisk: worst, rx: s?.interfaces?.reduce(0) { $0 + $1.rxBytesPerSecond },
                        tx: s?.interfaces?.reduce(0) { $0 + $1.txBytesPerSecond }, alerts: nil,
                        cpuHistory: history ?? .empty, age: h.lastGood.map { max(0, now - $0) })
    }
}
