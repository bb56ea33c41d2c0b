import ArgumentParser
import Dispatch
import Glibc
import FoundationEssentials
import WatchbillCollectors
import WatchbillExposition
import WatchbillRuntime

/// `watchbill agent`: the collectors, probes and alert rules without a screen, serving
/// `/metrics` for Prometheus (node_exporter's names, the probes' histograms, `ALERTS`) and
/// `/healthz`. For hosts without node_exporter, and for Prometheus to keep what a
/// dashboard only shows.
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run headless: collectors, probes and alert rules, serving /metrics (Prometheus text format) and /healthz. Samples every -i seconds (default 1); binds 127.0.0.1:9101 unless --listen; a bearer token from WATCHBILL_AGENT_TOKEN or --token-file. SIGTERM stops it cleanly.")

    @Option(help: "Where to listen: HOST:PORT (127.0.0.1:9101, [::1]:9101, 0.0.0.0:9101 for every interface).")
    var listen: String = "127.0.0.1:9101"

    @Option(help: ArgumentHelp("A file holding the bearer token /metrics asks for (else WATCHBILL_AGENT_TOKEN, else none).", valueName: "file"))
    var tokenFile: String?

    @OptionGroup var configFile: ConfigFileOption

    @ParentCommand var root: WatchbillCommand

    func validate() throws {
        _ = try Self.address(listen)
    }

    /// `--interval` belongs to the root command, which takes it wherever it is written.
    var interval: Double { root.interval }

    /// `HOST:PORT` (IPv4 or bracketed IPv6 literals).
    static func address(_ text: String) throws -> ListenAddress {
        do { return try ListenAddress.parse(text) } catch { throw ValidationError("--listen \(error)") }
    }

    /// The token, from the file or the environment; never from the command line, where `ps` shows it.
    func token() throws -> String? {
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ValidationError("--token-file \(tokenFile): cannot read")
            }
            let text = String(decoding: data, as: UTF8.self)
            let token = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            guard !token.isEmpty else { throw ValidationError("--token-file \(tokenFile) is empty") }
            return token
        }
        if let env = ProcessInfo.processInfo.environment["WATCHBILL_AGENT_TOKEN"], !env.isEmpty { return env }
        return nil
    }

    func run() throws {
        // Before any thread starts, so every thread inherits it: the quit signals wait for sigwait below.
        QuitSignals.blockInThisThread()
        MemoryPolicy.apply()
        let configuration = try ConfigLoader.load(path: configFile.config, required: configFile.config != nil)
        let specs = configuration.probes
        let token = try token()
        let address = try Self.address(listen)
        let log = FileLog.open(path: root.logFile)
        log.info("agent start \(WatchbillCommand.version): listen \(listen), interval \(interval)s, \(specs.count) probes, token \(token == nil ? "none" : "required")")
        let primary = InstanceLock.acquire(log: log)
        let rules = try RuleLoader.engine(log: log)
        let procRoot = ProcRoot("/")
        let collector = CollectionLoop(
            collector: HostCollector(root: procRoot, filter: DeviceFilter()), processScanner: ProcessScanner(root: procRoot),
            capacity: max(2, Int((3600 / interval).rounded(.up)) + 1), retention: 3600, interval: interval, rules: rules,
            notifier: primary ? AlertNotifier.make(configuration.notify, log: log) : nil, keepsHistory: primary,
            wakeUp: Headless(), log: log)
        let histograms = specs.isEmpty ? nil : ProbeHistograms(specs: specs)
        let probes = specs.isEmpty ? nil : try ProbeLoop(specs: specs, wakeUp: Headless(), log: log, record: { [collector] result, spec in
            collector.record(result, spec: spec)
            histograms?.record(result)
        }, burnRates: { [collector] rates in collector.record(rates) })

        let routes = AgentRoutes(collector: collector, histograms: histograms, token: token, interval: interval, version: WatchbillCommand.version)
        let server: AgentHTTPServer
        do {
            server = try AgentHTTPServer(address: address, log: { log.warning("\($0)") }, handler: routes.answer)
        } catch {
            StartupFailure.exit("agent: --listen \(error)")
        }
        DispatchQueue(label: "watchbill.agent.http").async { server.run() }

        // The main thread waits for the quit signals (blocked everywhere, taken here).
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&set, s) }
        var signal: Int32 = 0
        sigwait(&set, &signal)
        log.info("agent stop: signal \(signal)")
        server.stop()
        probes?.stop()
        collector.stop()
    }
}
