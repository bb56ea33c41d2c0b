#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillCollectors
import WatchbillRecording
import WatchbillRules
import WatchbillScreen

/// What the dashboard's effects do to the world outside the state: each returns the
/// events that say what came of it, for `DashboardRuntime.reduce`.
public struct DashboardActions: Sendable {
    public let collection: CollectionLoop
    public let log: Logger

    public init(collection: CollectionLoop, log: Logger) {
        self.collection = collection
        self.log = log
    }

    /// Carries out an effect of `DashboardRuntime.reduce` that is not the terminal's (the
    /// bell, a theme, quitting): the events that say what came of it.
    public func perform(_ effect: DashboardEffect, state: AppState, incidents: IncidentDesk, sources: Gatherer) -> [DashboardEvent] {
        switch effect {
        case .quit, .ringBell: return []
        case .log(let line): log.notice("\(line)")
        case .processesWanted(let wanted): collection.setProcessesWanted(wanted)
        case .rememberLayout(let panes, let compact):
            if let error = LayoutMemory.save(panes: panes, compact: compact) { log.warning("\(LayoutMemory.path): \(error)") }
        case .replay(let command): sources.steer(command)
        case .openIncident(let alert): return incidents.autoOpen(for: alert, detectedAt: alert.earliestEvidence(probes: state.data.probes),
                                                                      known: state.incidents.all)
        case .app(let effect):
            switch effect {
            case .quit, .nextTheme: return []
            case .setInterval(let s):
                collection.setInterval(s)
                log.info("interval set to \(s)s")
            case .sendSignal(let pid, let start, let signal, let name):
                let outcome = SignalSender.send(signal, named: name, to: pid, startedAt: start)
                log.notice("\(outcome)")
                return [.signalOutcome(outcome)]
            case .recordAlertAction(let action):
                defer { sources.alertsChanged() }
                return [record(action, user: state.userName)]
            case .incident(let request): return incidents.perform(request, author: state.userName)
            case .toggleRecording: return toggleRecording(state.recordingTo)
            case .openRunbook(let name, let alert):
                switch RunbookLibrary.page(name: name, alert: alert) {
                case .success(let page): return [.runbookLoaded(page)]
                case .failure(let problem): return [.notice(problem.message)]
                }
            }
        }
        return []
    }

    /// `R`: stops the recording running (`--record`, or an earlier `R`), or starts one in
    /// `$XDG_DATA_HOME/watchbill/recordings/`, named by the local time.
    public func toggleRecording(_ current: String?) -> [DashboardEvent] {
        guard let recorder = collection.recorder else { return [.notice("recording is not available here")] }
        if let path = current {
            recorder.remove(path)
            log.notice("recording stopped: \(path)")
            return [.recording(nil), .notice("recording stopped: \(path)")]
        }
        let dir = FileLog.dataDirectory() + "/recordings"
        FileLog.makeDirectories(dir)
        let path = dir + "/" + Clock.local(Clock.wall(), format: "%Y-%m-%d-%H%M%S") + ".wbr"
        do {
            try recorder.add(try RecordingWriter(path: path, now: Clock.monotonic()), name: path)
            log.notice("recording to \(path)")
            return [.recording(path), .notice("recording to \(path); R stops")]
        } catch {
            log.warning("cannot record: \(error)")
            return [.notice("cannot record: \(error)")]
        }
    }

    /// Journals a silence, expiry or acknowledgement, then applies it; the screen says
    /// saved only once it is on disk.
    public func record(_ action: AlertAction, user: String) -> DashboardEvent {
        var action = action
        if case .silence(var s) = action, s.id.isEmpty {
            s.id = AlertActionStore.newID()
            action = .silence(s)
        }
        if let error = AlertActionStore.append(action) {
            log.error("alert action not saved: \(error)")
            return .notSaved(error)
        }
        collection.apply(action)
        switch action {
        case .silence(let s):
            collection.notifier?.mirror(s) { [collection, log] alertmanagerID in
                let mirror = AlertAction.mirror(id: s.id, alertmanagerID: alertmanagerID)
                if let error = AlertActionStore.append(mirror) { log.warning("alert action not saved: \(error)") }
                collection.apply(mirror)
                // Expired here while Alertmanager was still answering: expire it there now.
                let now = Clock.wall()
                if collection.read({ $0.actions.silences.first { $0.id == s.id }?.state(at: now) == .expired }) {
                    collection.notifier?.expireMirror(alertmanagerID, localID: s.id)
                }
            }
            log.notice("silence \(s.id) by \(s.createdBy) until \(Clock.localTimestamp(s.endsAt)): \(s.matchersText)")
            return .saved("silence \(s.id) saved, until \(Clock.localClock(s.endsAt))")
        case .expire(let id, _):
            // Not yet in Alertmanager: the mirror's answer sees the expiry and follows it.
            if let am = collection.read({ $0.actions.alertmanagerIDs[id] }) {
                collection.notifier?.expireMirror(am, localID: id)
            }
            log.notice("silence \(id) expired")
            return .saved("silence \(id) expired")
        case .acknowledge(let a):
            log.notice("acknowledged \(a.labels) by \(a.by)")
            return .saved("acknowledged \(a.labels["alertname"] ?? "")")
        case .mirror:
            return .saved("saved")
        }
    }

    /// `$XDG_CONFIG_HOME/watchbill/keys.yaml` over the default bindings; a broken file
    /// keeps the defaults and says why in the footer and the log.
    public func loadKeys(into state: inout AppState) {
        let path = ThemeLoader.configDirectory() + "/keys.yaml"
        let bytes: [UInt8]
        switch UserFile.read(path, limit: 1 << 20) {
        case .success(let b): bytes = b
        case .failure(let why):
            // Absent is the usual case: the defaults, silently.
            if why.description != String(cString: strerror(ENOENT)) {
                state.notice = "\(path): \(why); default keys"
                log.warning("\(path): \(why); default keys")
            }
            return
        }
        do {
            let maps = try KeyMapFile.load(String(decoding: bytes, as: UTF8.self), file: path)
            state.keymap = maps.standard
            state.processKeymap = maps.processes
            state.probeKeymap = maps.probes
            state.alertKeymap = maps.alerts
            state.incidentKeymap = maps.incidents
            state.fleetKeymap = maps.fleet
            log.info("keys from \(path)")
        } catch {
            state.notice = "\(error); default keys"
            log.warning("\(error); default keys")
        }
    }

    /// Who is at the keyboard, for acknowledgements and silences.
    public static func userName() -> String {
        if let u = getenv("USER"), u.pointee != 0 { return String(cString: u) }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }

}
