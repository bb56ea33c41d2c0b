#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Logging
import Synchronization
import WatchbillCollectors
import WatchbillConfig
import WatchbillCore
import WatchbillNotify
import WatchbillRules

/// The config's `notify` targets, wired: each evaluation's due alerts (new, resent every
/// minute, resolved for 15 minutes) journaled and sent by the Notifier's thread; silences
/// made here also go to Alertmanager.
public final class AlertNotifier: Sendable {
    private let notifier: Notifier
    private let policy = Mutex(ResendPolicy())
    private let alertmanager: Destination?
    private let transport: HTTPPost
    private let externalURL: String
    private let log: Logger

    /// nil when nothing is configured. A token file that cannot be read stops the start,
    /// as any other config error does.
    public static func make(_ settings: NotifySettings, log: Logger) -> AlertNotifier? {
        guard !settings.targets.isEmpty else { return nil }
        let destinations = settings.targets.map { t -> Destination in
            var token = t.token
            if let file = t.tokenFile {
                guard let bytes = ProcRoot("/").read(file, limit: 64 << 10) else {
                    StartupFailure.exit("\(t.name): token_file \(file): cannot read: \(String(cString: strerror(errno)))")
                }
                token = Secret(String(decoding: bytes, as: UTF8.self).trimmingWhitespace)
            }
            let kind: Destination.Kind = t.kind == .alertmanager ? .alertmanager : .webhook
            return Destination(kind: kind, name: t.name, url: t.url, bearerToken: token, timeout: t.timeout)
        }
        do {
            let transport = try HTTPPost()
            let intents = try IntentLog(path: FileLog.stateDirectory() + "/notify-intents.log", now: Clock.wall())
            let notifier = Notifier(destinations: destinations, intentLog: intents, transport: transport,
                                    settings: Notifier.Settings(externalURL: settings.externalURL),
                                    log: { line in log.notice("\(line)") })
            for d in destinations { log.info("notify: \(d)") }
            return AlertNotifier(notifier, destinations.first { $0.kind == .alertmanager }, transport,
                                 settings.externalURL, log)
        } catch {
            log.error("notify: off: \(error)")
            return nil
        }
    }

    private init(_ notifier: Notifier, _ alertmanager: Destination?, _ transport: HTTPPost, _ externalURL: String,
                 _ log: Logger) {
        self.notifier = notifier
        self.alertmanager = alertmanager
        self.transport = transport
        self.externalURL = externalURL
        self.log = log
        notifier.start()
    }

    /// What is due now (called under the collection lock: cheap, no I/O).
    public func due(_ engine: AlertEngine, at now: Double) -> [NotifyAlert] {
        policy.withLock { $0.notifications(from: engine, now: now, generatorURL: externalURL) }
    }

    /// Journals and queues (outside the lock). Webhooks skip alerts silenced here;
    /// Alertmanager gets every alert and the silence itself.
    public func send(_ alerts: [NotifyAlert], actions: AlertActions, at now: Double) {
        guard !alerts.isEmpty else { return }
        notifier.enqueue(alerts, now: now) { destination, alert in
            destination.kind == .alertmanager || actions.silences(muting: Labels(alert.labels), at: now).isEmpty
        }
    }

    /// Creates the same silence in Alertmanager, off the UI thread; `created` gets
    /// Alertmanager's ID for it (to be journaled, so an expiry here reaches it later).
    public func mirror(_ silence: Silence, created: @escaping @Sendable (String) -> Void) {
        guard let am = alertmanager else { return }
        let matchers = silence.matchers.map {
            SilenceMatcher(name: $0.name, value: $0.value, isRegex: $0.kind == .regex || $0.kind == .notRegex,
                           isEqual: $0.kind == .equal || $0.kind == .regex)
        }
        let body = AlertmanagerV2.silenceBody(matchers: matchers, startsAt: silence.startsAt, endsAt: silence.endsAt,
                                              createdBy: silence.createdBy, comment: silence.comment)
        let url = Self.api(am, "silences")
        DispatchQueue.global(qos: .utility).async { [transport, log] in
            let r = AlertNotifier.retrying { transport.post(url: url, body: body, headers: am.headers, timeout: am.timeout) }
            guard r.outcome == .delivered else {
                log.warning("notify: silence \(silence.id) not created in \(am.name): \(r.error ?? "HTTP \(r.status ?? 0)")")
                return
            }
            let id = Self.silenceID(in: r.body)
            log.notice("notify: silence \(silence.id) created in \(am.name) as \(id ?? "?")")
            if let id { created(id) }
        }
    }

    /// Expires the Alertmanager copy of a silence expired here.
    public func expireMirror(_ alertmanagerID: String, localID: String) {
        guard let am = alertmanager else { return }
        let url = Self.api(am, "silence/" + alertmanagerID)
        DispatchQueue.global(qos: .utility).async { [transport, log] in
            let r = AlertNotifier.retrying { transport.delete(url: url, headers: am.headers, timeout: am.timeout) }
            if r.outcome == .delivered {
                log.notice("notify: silence \(localID) expired in \(am.name)")
            } else {
                log.warning("notify: silence \(localID) not expired in \(am.name): \(r.error ?? "HTTP \(r.status ?? 0)")")
            }
        }
    }

    /// `path` under the Alertmanager's API, whether its url was given as the server or as
    /// the alerts endpoint.
    public static func api(_ am: Destination, _ path: String) -> String {
        var base = Substring(am.url)
        while base.hasSuffix("/") { base = base.dropLast() }
        if base.hasSuffix("/api/v2/alerts") { base = base.dropLast("/api/v2/alerts".count) }
        return base + "/api/v2/" + path
    }

    /// Runs `request` until it is delivered or refused, a few times over about half a
    /// minute: an Alertmanager that restarts should not lose a silence.
    public static func retrying(_ request: () -> PostResult) -> PostResult {
        var result = request()
        for wait in [1.0, 3, 9, 20] where result.outcome == .retry {
            Clock.sleep(seconds: wait)
            result = request()
        }
        return result
    }

    /// `{"silenceID":"6b8f..."}`: the ID, read without a JSON library (IDs are UUIDs).
    public static func silenceID(in body: String) -> String? {
        guard let key = body.firstRange(of: "\"silenceID\"") else { return nil }
        let rest = body[key.upperBound...].drop { $0 == " " || $0 == ":" }
        guard rest.first == "\"" else { return nil }
        let id = rest.dropFirst().prefix { $0 != "\"" }
        return id.isEmpty || !id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) ? nil : String(id)
    }

    public var health: String { "\(notifier.counters)" }

    public func stop() {
        _ = notifier.stop(timeout: 2)
        log.info("notify: stopped: \(health)")
    }
}
