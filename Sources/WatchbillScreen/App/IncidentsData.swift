import WatchbillIncidents

/// The incidents the store holds, copied out when another write appeared (any process).
public struct IncidentsData: Sendable, Equatable {
    public var all: [Incident] = []
    public var now: Double = 0
    /// The local time zone's offset, for the times the views print.
    public var utcOffset = 0
    /// Why the store is not there (it could not be opened); the dashboard runs without it.
    public var unavailable: String?
    /// `21:55:27` when the incidents are shown as they stood then (a rewind, a replay).
    public var asOf: String?

    public init(all: [Incident] = [], now: Double = 0, utcOffset: Int = 0, unavailable: String? = nil) {
        self.all = all
        self.now = now
        self.utcOffset = utcOffset
        self.unavailable = unavailable
    }

    /// Open first, then by severity, then the newest first.
    public static func ordered(_ list: [Incident]) -> [Incident] {
        list.sorted { a, b in
            let openA = a.status != .resolved, openB = b.status != .resolved
            if openA != openB { return openA }
            if a.severity != b.severity { return a.severity < b.severity }
            return a.detectedAt != b.detectedAt ? a.detectedAt > b.detectedAt : a.id > b.id
        }
    }

    public func listed(showAll: Bool) -> [Incident] {
        IncidentsData.ordered(showAll ? all : all.filter { $0.status != .resolved })
    }

    public func incident(_ id: Int64) -> Incident? { all.first { $0.id == id } }

    /// Every incident's timeline entries, for the graphs' marks.
    public var timelineMarks: [TimelineMark] {
        all.flatMap { i in i.timeline.map { TimelineMark(wallClock: $0.at, kind: .incident) } }
    }

    /// The open incident an alert is linked to, if any.
    public func openIncident(linking identity: String) -> Incident? {
        IncidentsData.ordered(all).first { $0.status != .resolved && $0.linkedAlerts[identity] != nil }
    }
}

/// The incident list and the incident full screen.
public struct IncidentViewState: Sendable, Equatable {
    public var listShown = false
    /// The response figures instead of the list (`T`).
    public var statsShown = false
    public var showAll = false
    public var selected = 0
    /// The incident open full screen.
    public var detail: Int64?
    /// How many entries the timeline is scrolled up from its end: 0 follows the end, so an
    /// entry just added is on screen even at 80x24.
    public var timelineFromEnd = 0
    /// A status-changing step waiting for `y`.
    public var confirm: IncidentRequest?
    public var confirmText = ""
    public init() {}
}

/// What the store is asked to do; the caller answers with `alertActionSaved` or
/// `alertActionFailed` (a failed form comes back with the text typed).
public enum IncidentRequest: Sendable, Equatable {
    /// Open an incident (from an alert: its times, and the alert linked).
    case open(title: String, severity: Severity, detectedAt: Double?, alertedAt: Double?, alert: LinkedAlertRequest?)
    case append(IncidentEvent)
    case export(Int64)
}

public struct LinkedAlertRequest: Sendable, Equatable {
    public var identity: String
    public var summary: String
    public init(identity: String, summary: String) {
        self.identity = identity
        self.summary = summary
    }
}
