#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillIncidentStore
import WatchbillIncidents
import WatchbillRecording
import WatchbillScreen

/// The dashboard's side of the incident store: opened when incidents are first needed (a
/// store that cannot be opened leaves the dashboard running, incidents off, and says why),
/// re-read when any process wrote to it (about once a second), and the screen's requests
/// carried out. Opening late keeps SQLite's caches (about 4 MiB) out of a dashboard whose
/// user never looks at incidents.
public final class IncidentDesk {
    private var store: IncidentStore?
    private var failure: String?
    private var tried = false
    private let log: Logger
    private var seenSeq: Int64 = -1
    private var checkedAt = -Double.infinity
    private var failing = false
    /// `--record`: timeline entries go into the recording as they appear (from any process).
    private let recorder: RecorderQueue?
    private var recordedSeq: Int64?

    /// False in a replay: the store is read (the panes show it as of the replay's moment),
    /// never written.
    private let writable: Bool

    public init(log: Logger, recorder: RecorderQueue? = nil, writable: Bool = true) {
        self.log = log
        self.recorder = recorder
        self.writable = writable
    }

    /// Opens the store once; nil (with `failure` set) if it cannot be used.
    private func open() -> IncidentStore? {
        guard !tried else { return store }
        tried = true
        FileLog.makeDirectories(FileLog.dataDirectory())
        do {
            store = try IncidentStore(path: FileLog.incidentStorePath)
        } catch {
            failure = error.description
            log.error("incidents off: \(error)")
        }
        return store
    }

    /// The incidents as stored, when any process wrote to the store since the last look
    /// (checked about once a second); nil when nothing changed or nothing wants them yet.
    public func refresh(at now: Double, wanted: Bool = true) -> IncidentsData? {
        guard tried || wanted else { return nil }
        guard let store = open() else {
            guard seenSeq != -2 else { return nil }
            seenSeq = -2
            return IncidentsData(unavailable: failure)
        }
        // Monotonic: a wall clock stepping back must not stop the re-reads.
        let tick = Clock.monotonic()
        guard tick - checkedAt >= 1 else { return nil }
        checkedAt = tick
        do {
            let seq = try store.lastSeq()
            guard seq != seenSeq || failing else { return nil }
            let all = try store.incidents()
            failing = false
            seenSeq = seq
            record(all)
            return IncidentsData(all: all)
        } catch {
            // Shown, not only logged: an empty list must not pass for "no incidents".
            if !failing { log.warning("incidents: \(error)") }
            failing = true
            return IncidentsData(unavailable: error.description)
        }
    }

    /// New timeline entries into the recording: at the first read, the open incidents'
    /// whole timelines (the context a replay needs); after it, whatever was written since.
    private func record(_ incidents: [Incident]) {
        guard let recorder else { return }
        let events = incidents.flatMap { i in
            recordedSeq == nil ? (i.status == .resolved ? [] : i.timeline) : i.timeline.filter { $0.seq > recordedSeq! }
        }
        for e in events.sorted(by: { $0.seq < $1.seq }) {
            recorder.append(kind: .incident, EventCodec.encode(IncidentRecord(
                incident: e.incident, seq: e.seq, at: e.at, kind: e.kind.rawValue + (e.field.isEmpty ? "" : ":" + e.field),
                author: e.author, text: e.text)), now: Clock.monotonic())
        }
        recordedSeq = max(recordedSeq ?? 0, incidents.flatMap { $0.timeline.map(\.seq) }.max() ?? 0)
    }

    /// Carries out a request: what it came to, as events (the footer says saved only once
    /// the transaction committed), then the store as it now is.
    public func perform(_ request: IncidentRequest, author: String) -> [DashboardEvent] {
        guard writable || isExport(request) else { return [.notSaved("a replay is read-only: the incident store is not changed")] }
        guard let store = open() else { return [.notSaved(failure ?? "incident store unavailable")] }
        let now = Clock.wall()
        var events: [DashboardEvent] = []
        do {
            switch request {
            case .open(let title, let severity, let detectedAt, let alertedAt, let alert):
                var id: Int64
                var opened = true
                if let alert {
                    (id, opened) = try store.openOrJoin(title: title, severity: severity, detectedAt: detectedAt,
                                                        alertedAt: alertedAt, alert: alert.identity, summary: alert.summary,
                                                        at: now, author: author)
                } else {
                    id = try store.open(title: title, severity: severity, detectedAt: detectedAt, alertedAt: alertedAt, at: now,
                                        author: author)
                }
                if opened { log.notice("incident \(id) opened by \(author): \(severity.rawValue) \(title)") }
                events = [.incidentShown(id), .saved(opened ? "incident \(id) opened" : "incident \(id) already has this alert: opened it")]
            case .append(var event):
                event.writtenAt = now
                if event.at > now { event.at = now }
                let saved = try store.append(event)
                log.info("incident \(event.incident): \(event.kind.rawValue) by \(event.author)")
                if event.kind == .alertLinked { events.append(.incidentShown(event.incident)) }
                events.append(.saved("incident \(event.incident): \(event.words) saved (entry \(saved.seq))"))
            case .export(let id):
                guard let incident = try store.incidents().first(where: { $0.id == id }) else { return [] }
                events = [.notice(export(incident, now: now))]
            }
        } catch {
            events = [.notSaved(error.description)]
        }
        checkedAt = -Double.infinity
        if let stored = refresh(at: now) { events.insert(.incidents(stored), at: 0) }
        return events
    }

    private func isExport(_ request: IncidentRequest) -> Bool {
        if case .export = request { return true }
        return false
    }

    /// A paging P0 or P1 opens an incident of its own, once per occurrence: not when an
    /// incident (open or resolved since) linked it after it became active, so a restart or
    /// a resolved incident does not open another.
    public func autoOpen(for alert: AlertItem, detectedAt: Double, known: [Incident]) -> [DashboardEvent] {
        guard writable, let store = open() else { return [] }
        let severity = alert.severity
        let identity = alert.labels.description
        // The cheap check first (every second, in memory); the store checks again inside
        // its transaction, against what other processes wrote.
        guard !known.contains(where: { ($0.linkedAlerts[identity]?.linkedAt ?? -.infinity) >= alert.activeAt }) else { return [] }
        let now = Clock.wall()
        do {
            let title = alert.summary.isEmpty ? alert.name : "\(alert.name): \(alert.summary)"
            let (id, opened) = try store.openOrJoin(title: title, severity: severity, detectedAt: detectedAt,
                                                    alertedAt: alert.firedAt, alert: identity, summary: alert.summary,
                                                    occurrenceSince: alert.activeAt, at: now, author: "watchbill")
            checkedAt = -Double.infinity
            let stored = refresh(at: now).map { [DashboardEvent.incidents($0)] } ?? []
            guard opened else { return stored }
            log.notice("incident \(id) opened for \(alert.name) (auto_open)")
            return stored + [.notice("incident \(id) opened for \(alert.name) (I lists incidents)")]
        } catch {
            log.warning("incident for \(alert.name) not opened: \(error)")
            return []
        }
    }

    /// `$XDG_DATA_HOME/watchbill/postmortems/incident-N.md`, never over an existing file.
    private func export(_ incident: Incident, now: Double) -> String {
        let dir = FileLog.dataDirectory() + "/postmortems"
        FileLog.makeDirectories(dir)
        var path = dir + "/incident-\(incident.id).md"
        var n = 2
        while access(path, F_OK) == 0 {
            path = dir + "/incident-\(incident.id)-\(n).md"
            n += 1
        }
        let text = Postmortem.markdown(incident, now: now, timeZoneOffsetSeconds: Clock.utcOffset(now))
        if let error = AtomicFile.write(Array(text.utf8), to: path) { return "postmortem NOT written: \(error)" }
        log.notice("incident \(incident.id): postmortem written to \(path)")
        // The name first: a narrow footer cuts the directory, never the file to open.
        let home = getenv("HOME").map { String(cString: $0) } ?? ""
        let shown = !home.isEmpty && dir.hasPrefix(home + "/") ? "~" + dir.dropFirst(home.count) : dir
        return "postmortem written: \(path.split(separator: "/").last ?? "") in \(shown)"
    }
}
