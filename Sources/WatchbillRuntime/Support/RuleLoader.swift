#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import WatchbillCollectors
import WatchbillConfig
import WatchbillIncidents
import WatchbillRules

/// The alert rules the dashboard runs: the built-in defaults, then every `*.yml` and
/// `*.yaml` in `$XDG_CONFIG_HOME/watchbill/rules/`. A rule file that does not load stops the
/// start, as a broken config does: rules that silently never run are worse than none.
public enum RuleLoader {
    public static let defaultInterval = 15.0

    public static var directory: String { ThemeLoader.configDirectory() + "/rules" }

    /// The config's `target_labels`, for the engines made after it was read.
    static let targetLabels = Mutex<[String: String]?>(nil)

    /// What the config says about rules, for the rule commands and engines that follow:
    /// the team's severity words and the labels of this host's series.
    public static func adopt(_ c: WatchbillConfiguration) {
        Severity.teamWords.withLock { $0 = c.severityWords }
        targetLabels.withLock { $0 = c.targetLabels }
    }

    public static func engine(log: Logger, restore: Bool = true) throws -> AlertEngine {
        var groups: [RuleGroup] = []
        var sources = [(BuiltinRules.file, BuiltinRules.source)]
        let files = (ProcRoot("/").list(directory) ?? []).filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
        for name in files {
            let path = directory + "/" + name
            let bytes: [UInt8]
            switch UserFile.read(path, limit: 16 << 20) {
            case .success(let b): bytes = b
            case .failure(let why): StartupFailure.exit("\(path): cannot read: \(why)")
            }
            sources.append((path, String(decoding: bytes, as: UTF8.self)))
        }
        for (file, text) in sources {
            do {
                let (loaded, warnings) = try RuleFile.parse(text, file: file)
                for w in warnings { log.warning("\(w)") }
                groups += loaded
            } catch {
                StartupFailure.exit("\(error)")
            }
        }
        log.info("alert rules: \(groups.reduce(0) { $0 + $1.rules.count }) in \(sources.count) file\(sources.count == 1 ? "" : "s")")
        var engine = engine(groups)
        for warning in historyWarnings(engine) { log.warning("\(warning)") }
        engine.targetLabels = targetLabels.withLock { $0 }
        // Pending and firing alerts of a run that stopped a few minutes ago carry on: their
        // `for` clocks keep counting and nothing already firing pages again as new.
        if restore, let bytes = ProcRoot("/").read(statePath, limit: 16 << 20) {
            let saved = AlertStateFile.decode(String(decoding: bytes, as: UTF8.self))
            engine.restore(saved, at: Clock.wall())
            log.info("alert state: \(engine.alerts.count) of \(saved.count) saved alerts restored from \(statePath)")
        }
        return engine
    }

    /// The engine for these groups, each at its own interval or the default one.
    public static func engine(_ groups: [RuleGroup]) -> AlertEngine {
        AlertEngine(groups: groups.map {
            AlertEngine.Group(name: $0.name, interval: $0.interval ?? defaultInterval, rules: $0.rules.map(\.rule), recordings: $0.recordings, order: $0.order)
        })
    }

    /// A line for each rule that reads more history than the live engine keeps.
    public static func historyWarnings(_ engine: AlertEngine) -> [String] {
        engine.rulesReading(moreThan: MetricStore.ruleHistory).map {
            "rule \($0.rule) (group \($0.group)) reads \(durationText($0.reads)) of history, but the live engine keeps \(durationText(MetricStore.ruleHistory)) of each series: it is evaluated over that, where Prometheus would read the whole range"
        }
    }

    static func durationText(_ seconds: Double) -> String {
        for (unit, size) in [("d", 86_400.0), ("h", 3_600.0), ("m", 60.0)] where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(unit)"
        }
        return "\(Int(seconds.rounded()))s"
    }

    public static var statePath: String { FileLog.stateDirectory() + "/alerts.state" }

    public static func save(_ alerts: [ActiveAlert], log: Logger) {
        if let error = AtomicFile.write(Array(AlertStateFile.encode(alerts).utf8), to: statePath) {
            log.warning("\(statePath): \(error)")
        }
    }
}
