import Logging
import Synchronization
import WatchbillCore
import WatchbillFleet
import WatchbillScreen

/// Scrapes every node_exporter of the fleet once an interval, all at once, on its own
/// thread: a slow or dead target costs its timeout on this thread, never the screen's.
public final class FleetLoop: Sendable {
    public let fleet: Mutex<Fleet>
    public let interval: Double
    public let source: String
    private let worker: Mutex<PeriodicWorker?> = Mutex(nil)

    public init(targets: [FleetTarget], interval: Double, history: Double, headers: [Header] = [], fetcher: HTTPFetcher,
                wakeUp: any WakeUp, log: Logger) {
        self.interval = interval
        source = "\(targets.count) node_exporter" + (targets.count == 1 ? "" : "s")
        fleet = Mutex(Fleet(targets: targets, history: history, interval: interval))
        // A scrape may take most of the interval, not more: the next round starts on time.
        let timeout = max(0.5, min(10, interval * 0.8))
        let requests = targets.map { FetchRequest(url: $0.url, headers: headers, timeout: timeout) }
        let said = Mutex(targets.map { _ in "" })
        let rounds = Mutex(0)
        let worker = PeriodicWorker(label: "watchbill.fleet", every: interval, wakeUp: wakeUp) { [self] in
            let started = Clock.monotonic()
            let results = fetcher.fetch(requests)
            let seconds = Clock.monotonic() - started
            let statuses = fleet.withLock { f in
                f.update(results, time: Clock.monotonic(), wallClock: Clock.wall(), seconds: seconds)
                return f.hosts.map(\.status)
            }
            // What a round costs, once a minute or so (Benchmarks/fleet.sh reads it).
            let round = rounds.withLock { $0 += 1; return $0 }
            if round == 1 || round % max(1, Int((60 / interval).rounded())) == 0 {
                let fetched = Int(seconds * 1000), total = Int((Clock.monotonic() - started) * 1000)
                log.info("fleet round \(round): \(targets.count) targets, fetch \(fetched) ms, parse and record \(total - fetched) ms")
            }
            said.withLock { said in
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
            }
        }
        self.worker.withLock { $0 = worker }
    }

    /// The table's rows, when the fleet moved on since `seen`.
    public func rows(now: Double, points: Int, since seen: inout Int) -> [FleetRow]? {
        fleet.withLock { f -> [FleetRow]? in
            guard f.generation != seen else { return nil }
            seen = f.generation
            return f.hosts.map { NodeExporterRows.row($0, now: now, points: points) }
        }
    }

    /// One host's panes, as the local dashboard's are built from its store.
    public func dashboardData(_ id: String, points: Int) -> DashboardData? {
        fleet.withLock { f in
            guard let h = f.hosts.first(where: { $0.target.instance == id }) else { return nil }
            return DashboardData(store: h.store, snapshot: h.latest, points: points)
        }
    }

    public func stop() { worker.withLock { $0 }?.stop() }
}

/// Where the fleet table comes from: node_exporters scraped (`FleetLoop`) or Prometheus
/// queried (`PrometheusFleetLoop`).
public protocol FleetSource: Sendable {
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
    public var opensHosts: Bool { true }
    public func open(_ id: String?, points: Int) {}
}
