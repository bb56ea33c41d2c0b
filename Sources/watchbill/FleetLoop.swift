import CTermGuard
import Dispatch
import Logging
import Synchronization
import WatchbillCore
import WatchbillFleet
import WatchbillScreen

/// Scrapes every node_exporter of the fleet once an interval, all at once, on its own
/// thread: a slow or dead target costs its timeout on this thread, never the screen's.
final class FleetLoop: Sendable {
    let fleet: Mutex<Fleet>
    let interval: Double
    let source: String
    private let stopping = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)
    private let doorbell = Doorbell()

    init(targets: [FleetTarget], interval: Double, history: Double, headers: [Header] = [], fetcher: HTTPFetcher, log: Logger) {
        self.interval = interval
        source = "\(targets.count) node_exporter" + (targets.count == 1 ? "" : "s")
        fleet = Mutex(Fleet(targets: targets, history: history, interval: interval))
        // A scrape may take most of the interval, not more: the next round starts on time.
        let timeout = max(0.5, min(10, interval * 0.8))
        let requests = targets.map { FetchRequest(url: $0.url, headers: headers, timeout: timeout) }
        DispatchQueue(label: "watchbill.fleet").async { [self] in
            CTermGuard_blockSignalsInThisThread()
            CTermGuard_prepareThread()
            var said: [String] = targets.map { _ in "" }
            var next = Clock.monotonic()
            var rounds = 0
            while !stopping.withLock({ $0 }) {
                let started = Clock.monotonic()
                let results = fetcher.fetch(requests)
                let seconds = Clock.monotonic() - started
                let statuses = fleet.withLock { f in
                    f.update(results, time: Clock.monotonic(), wallClock: Clock.wall(), seconds: seconds)
                    return f.hosts.map(\.status)
                }
                // What a round costs, once a minute or so (Benchmarks/fleet.sh reads it).
                rounds += 1
                if rounds == 1 || rounds % max(1, Int((60 / interval).rounded())) == 0 {
                    let fetched = Int(seconds * 1000), total = Int((Clock.monotonic() - started) * 1000)
                    log.info("fleet round \(rounds): \(targets.count) targets, fetch \(fetched) ms, parse and record \(total - fetched) ms")
                }
                // The log gets the changes, not every round.
                for (i, status) in statuses.enumerated() {
                    let line: String
                    switch status {
                    case .waiting: continue
                    case .up: line = "up"
                    case .stale(let why): line = "stale: \(why)"
                    case .down(let why): line = "down: \(why)"
                    }
                    // A change of state or of cause is news; garbage on another line is not.
                    guard line.split(separator: ":").prefix(2) != said[i].split(separator: ":").prefix(2) else { continue }
                    if status == .up { if !said[i].isEmpty { log.notice("fleet: \(targets[i].instance) up") } }
                    else { log.warning("fleet: \(targets[i].instance) \(line)") }
                    said[i] = line
                }
                CTermGuard_wake()
                next += interval
                if next < Clock.monotonic() { next = Clock.monotonic() + interval }
                _ = doorbell.wait(timeoutMs: Int32(max(0, (next - Clock.monotonic()) * 1000).rounded(.up)))
            }
            finished.signal()
        }
    }

    /// The table's rows, when the fleet moved on since `seen`.
    func rows(now: Double, points: Int, since seen: inout Int) -> [FleetRow]? {
        fleet.withLock { f -> [FleetRow]? in
            guard f.generation != seen else { return nil }
            seen = f.generation
            return f.hosts.map { FleetLoop.row($0, now: now, points: points) }
        }
    }

    static func row(_ h: Fleet.Host, now: Double, points: Int) -> FleetRow {
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

    /// One host's panes, as the local dashboard's are built from its store.
    func dashboardData(_ id: String, points: Int) -> DashboardData? {
        fleet.withLock { f in
            guard let h = f.hosts.first(where: { $0.target.instance == id }) else { return nil }
            return DashboardData(store: h.store, snapshot: h.latest, points: points)
        }
    }

    func stop() {
        stopping.withLock { $0 = true }
        doorbell.ring()
        _ = finished.wait(timeout: .now() + .seconds(12))
    }
}

/// Where the fleet table comes from: node_exporters scraped (`FleetLoop`) or Prometheus
/// queried (`PrometheusFleetLoop`).
protocol FleetSource: Sendable {
    var interval: Double { get }
    /// `100 node_exporters`, `prometheus 10.0.0.5:9090 job node`.
    var source: String { get }
    /// Whether Enter can open a host's panes.
    var opensHosts: Bool { get }
    func rows(now: Double, points: Int, since seen: inout Int) -> [FleetRow]?
    func dashboardData(_ id: String, points: Int) -> DashboardData?
    /// The host the screen has open (nil: the table), for sources that query it on demand.
    func open(_ id: String?, points: Int)
    func stop()
}

extension FleetLoop: FleetSource {
    var opensHosts: Bool { true }
    func open(_ id: String?, points: Int) {}
}
