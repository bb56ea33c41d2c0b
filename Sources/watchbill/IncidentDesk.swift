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
final class IncidentDesk {
    private var store: IncidentStore?
    private var failure: String?
    private var tried = false
    private let log: Logger
    private var seenSeq: Int64 = -1
    private var checkedAt = -Double.infinity
    /// `--record`: timeline entries go into the recording as they appear (from any process).
    private let recorder: RecorderQueue?
    private var recordedSeq: Int64?

    init(log: Logger, recorder: RecorderQueue? = nil) {
        self.log = log
        self.recorder = recorder
    }

    /// Opens the store once; nil (with `failure` set) if it cannot be used.
    private func open() -> IncidentStore? {
        guard !tried else { return store }
        tried = true
        FileLog.makeDirectories(FileLog.dataDirectory())
        do {
            store = try IncidentStore(path: IncidentCommand.storePath)
        } catch {
            failure = error.description
            log.error("incidents off: \(error)")
        }
        return store
    }

    /// Whether anything on screen (or auto_open) wants the incidents now.
    static func wanted(_ state: AppState, autoOpen: Bool, recording: Bool = false) -> Bool {
        autoOpen || recording || state.incidentScreenOpen || state.alertView.form != nil || state.focus == .alerts
            || state.incidentView.confirm != nil || state.history != nil
    }

    /// Copies the incidents into the state when the store moved on (or the clock for ages).
    func refresh(_ state: inout AppState, at now: Double, wanted: Bool = true) {
        state.incidents.now = now
        state.incidents.utcOffset = Clock.utcOffset(now)
        guard tried || wanted else { return }
        guard let store = open() else {
            state.incidents.unavailable = failure
            return
        }
        // Monotonic: a wall clock stepping back must not stop the re-reads.
        let tick = Clock.monotonic()
        guard tick - checkedAt >= 1 else { return }
        checkedAt = tick
        do {
            let seq = try store.lastSeq()
            guard seq != seenSeq || state.incidents.unavailable != nil else { return }
            state.incidents.all = try store.incidents()
            state.incidents.unavailable = nil
            seenSeq = seq
            record(state.incidents.all)
        } catch {
            // Shown, not only logged: an empty list must not pass for "no incidents".
            if state.incidents.unavailable == nil { log.warning("incidents: \(error)") }
            state.incidents.unavailable = error.description
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

    /// Carries out a request; the footer says saved only once the transaction committed.
    func perform(_ request: IncidentRequest, state: inout AppState) {
        guard let store = open() else {
            state.alertActionFailed(failure ?? "incident store unavailable")
            return
        }
        let now = Clock.wall()
        do {
            switch request {
            case .open(let title, let severity, let detectedAt, let alertedAt, let alert):
                var id: Int64
                var opened = true
                if let alert {
                    (id, opened) = try store.openOrJoin(title: title, severity: severity, detectedAt: detectedAt,
                                                        alertedAt: alertedAt, alert: alert.identity, summary: alert.summary,
                                                        at: now, author: state.userName)
                } else {
                    id = try store.open(title: title, severity: severity, detectedAt: detectedAt, alertedAt: alertedAt, at: now,
                                        author: state.userName)
                }
                if opened { log.notice("incident \(id) opened by \(state.userName): \(severity.rawValue) \(title)") }
                state.closeAlertScreens()
                state.incidentView.detail = id
                state.incidentView.timelineScroll = 0
                state.alertActionSaved(opened ? "incident \(id) opened" : "incident \(id) already has this alert: opened it")
            case .append(var event):
                event.writtenAt = now
                if event.at > now { event.at = now }
                let saved = try store.append(event)
                log.info("incident \(event.incident): \(event.kind.rawValue) by \(event.author)")
                if event.kind == .alertLinked {
                    state.closeAlertScreens()
                    state.incidentView.detail = event.incident
                }
                state.alertActionSaved("incident \(event.incident): \(event.kind.rawValue) saved (entry \(saved.seq))")
            case .export(let id):
                guard let incident = try store.incidents().first(where: { $0.id == id }) else { return }
                state.notice = export(incident, now: now)
            }
        } catch {
            state.alertActionFailed(error.description)
        }
        checkedAt = -Double.infinity
        refresh(&state, at: now)
    }

    /// A paging P0 or P1 opens an incident of its own, once per occurrence: not when an
    /// incident (open or resolved since) linked it after it became active, so a restart or
    /// a resolved incident does not open another.
    func autoOpen(for alert: AlertItem, state: inout AppState) {
        guard let store = open(), state.incidents.unavailable == nil, let severity = Severity(rawValue: alert.severity) else { return }
        let identity = alert.labels.description
        // The cheap check first (every second, in memory); the store checks again inside
        // its transaction, against what other processes wrote.
        guard !state.incidents.all.contains(where: { ($0.linkedAlerts[identity]?.linkedAt ?? -.infinity) >= alert.activeAt })
        else { return }
        let now = Clock.wall()
        do {
            let title = alert.summary.isEmpty ? alert.name : "\(alert.name): \(alert.summary)"
            let (id, opened) = try store.openOrJoin(title: title, severity: severity, detectedAt: alert.activeAt,
                                                    alertedAt: alert.firedAt, alert: identity, summary: alert.summary,
                                                    occurrenceSince: alert.activeAt, at: now, author: "watchbill")
            checkedAt = -Double.infinity
            guard opened else {
                refresh(&state, at: now)
                return
            }
            log.notice("incident \(id) opened for \(alert.name) (auto_open)")
            state.notice = "incident \(id) opened for \(alert.name) (I lists incidents)"
            refresh(&state, at: now)
        } catch {
            log.warning("incident for \(alert.name) not opened: \(error)")
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
        return "postmortem written to \(path)"
    }
}
