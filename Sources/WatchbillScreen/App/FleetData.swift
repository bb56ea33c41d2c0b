import WatchbillCore

/// One host of the fleet as its row shows it (built by the caller from its scrapes).
public struct FleetRow: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case waiting, up
        /// No fresh answer (a slow target, or the source itself not answering): the figures
        /// are `age` old and the host may well be fine.
        case stale(String)
        case down(String)

        /// Why the figures are not fresh, when they are not.
        public var problem: String? {
            switch self {
            case .waiting, .up: return nil
            case .stale(let why), .down(let why): return why
            }
        }
        /// The word the table and reports show.
        public var word: String {
            switch self {
            case .waiting: return "WAIT"
            case .up: return "UP"
            case .stale: return "STALE"
            case .down: return "DOWN"
            }
        }
        /// Down first, then stale, then waiting, then up: what needs looking at, on top.
        var urgency: Double {
            switch self {
            case .down: return 0
            case .stale: return 1
            case .waiting: return 2
            case .up: return 3
            }
        }
    }
    /// Stable across renames: the target's `host:port`.
    public var id: String
    public var name: String
    public var status: Status
    public var cpu: Double?
    public var memory: Double?
    /// The fullest filesystem: its mount point and used fraction.
    public var worstDisk: (mount: String, used: Double)?
    public var rx: Double?
    public var tx: Double?
    /// Firing alerts for this host, when an alert source is known (nil: none is).
    public var alerts: Int?
    public var cpuHistory: GraphData
    /// Seconds since the last good scrape (the values of a stale or down host are that old).
    public var age: Double?

    public init(id: String, name: String, status: Status, cpu: Double? = nil, memory: Double? = nil,
                worstDisk: (mount: String, used: Double)? = nil, rx: Double? = nil, tx: Double? = nil, alerts: Int? = nil,
                cpuHistory: GraphData = .empty, age: Double? = nil) {
        self.id = id
        self.name = name
        self.status = status
        self.cpu = cpu
        self.memory = memory
        self.worstDisk = worstDisk
        self.rx = rx
        self.tx = tx
        self.alerts = alerts
        self.cpuHistory = cpuHistory
        self.age = age
    }

    public static func == (a: FleetRow, b: FleetRow) -> Bool {
        a.id == b.id && a.name == b.name && a.status == b.status && a.cpu == b.cpu && a.memory == b.memory
            && a.worstDisk?.mount == b.worstDisk?.mount && a.worstDisk?.used == b.worstDisk?.used && a.rx == b.rx
            && a.tx == b.tx && a.alerts == b.alerts && a.cpuHistory == b.cpuHistory && a.age == b.age
    }

    public var isUp: Bool { status == .up }
}

/// What the fleet view shows: every host, and how often they are scraped.
public struct FleetData: Sendable, Equatable {
    public var rows: [FleetRow]
    public var interval: Double
    /// Where the hosts come from, for the title (`3 node_exporters`).
    public var source: String
    /// Whether Enter opens a host's panes (a source that cannot says so instead).
    public var opensHosts: Bool
    /// Service latency from Prometheus, when the config names histograms (nil: it names none).
    public var latency: [ServiceLatency]?
    /// Why the last latency refresh failed, if it did (the rows are then the last good ones).
    public var latencyProblem: String?

    public init(rows: [FleetRow] = [], interval: Double = 5, source: String = "", opensHosts: Bool = true,
                latency: [ServiceLatency]? = nil) {
        self.rows = rows
        self.interval = interval
        self.source = source
        self.opensHosts = opensHosts
        self.latency = latency
    }
}

public enum FleetColumn: Int, CaseIterable, Sendable {
    case host, status, cpu, memory, disk, rx, tx, alerts

    public var title: String {
        switch self {
        case .host: return "host"
        case .status: return "state"
        case .cpu: return "CPU"
        case .memory: return "mem"
        case .disk: return "disk"
        case .rx: return "rx/s"
        case .tx: return "tx/s"
        case .alerts: return "alerts"
        }
    }
}

/// The fleet view's sort, filter, selection and the host opened (Enter).
public struct FleetViewState: Sendable, Equatable {
    public var sort: FleetColumn = .status
    public var descending = false
    public var filter = ""
    /// The filter being typed after `/`; nil when not editing.
    public var editingFilter: String?
    public var filterBeforeEditing = ""
    /// The selected host by id, so a re-sort keeps it selected.
    public var selectedID: String?
    /// The host whose dashboard is open; nil for the fleet table.
    public var openHost: String?

    public init() {}
}

public enum FleetList {
    /// Rows matching the filter (any part of the name or address, case-insensitive), sorted;
    /// ties by name, so the order never flickers between refreshes.
    public static func visible(_ rows: [FleetRow], _ view: FleetViewState) -> [FleetRow] {
        let needle = view.filter.lowercased()
        let matching = needle.isEmpty ? rows : rows.filter { $0.name.lowercased().contains(needle) || $0.id.lowercased().contains(needle) }
        func key(_ r: FleetRow) -> Double? {
            switch view.sort {
            case .host: return nil
            case .status: return r.status.urgency
            case .cpu: return r.cpu
            case .memory: return r.memory
            case .disk: return r.worstDisk?.used
            case .rx: return r.rx
            case .tx: return r.tx
            case .alerts: return r.alerts.map(Double.init)
            }
        }
        return matching.sorted { a, b in
            if view.sort != .host, key(a) != key(b) {
                // Unknown values sort last whichever the direction.
                guard let ka = key(a) else { return false }
                guard let kb = key(b) else { return true }
                return view.descending ? ka > kb : ka < kb
            }
            if a.name != b.name { return view.sort == .host && view.descending ? a.name > b.name : a.name < b.name }
            return a.id < b.id
        }
    }

    /// The selected row's index among `rows`: the one with the selected id, else the first.
    public static func selection(_ rows: [FleetRow], _ view: FleetViewState) -> Int? {
        guard !rows.isEmpty else { return nil }
        return view.selectedID.flatMap { id in rows.firstIndex { $0.id == id } } ?? 0
    }
}
