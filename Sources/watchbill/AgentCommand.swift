import ArgumentParser
import FlyingFox
import FlyingSocks
import Foundation
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

    /// `HOST:PORT` as a socket address (IPv4 or bracketed IPv6 literals).
    static func address(_ text: String) throws -> any SocketAddress {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw ValidationError("--listen \(text): use HOST:PORT, e.g. 127.0.0.1:9101")
        }
        var host = String(text[..<colon])
        do {
            if host.hasPrefix("[") && host.hasSuffix("]") {
                host = String(host.dropFirst().dropLast())
                return try sockaddr_in6.inet6(ip6: host, port: port)
            }
            return try sockaddr_in.inet(ip4: host.isEmpty ? "0.0.0.0" : host, port: port)
        } catch {
            throw ValidationError("--listen \(text): \(host) is not an IPv4 or [IPv6] address")
        }
    }

    /// The token, from the file or the environment; never from the command line, where `ps` shows it.
    func token() throws -> String? {
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ValidationError("--token-file \(tokenFile): cannot read")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ValidationError("--token-file \(tokenFile) is empty") }
            return token
        }
        if let env = ProcessInfo.processInfo.environment["WATCHBILL_AGENT_TOKEN"], !env.isEmpty { return env }
        return nil
    }

    func run() throws {
        // Before any thread starts, so every thread inherits it: the quit signals wait for sigwait below.
        QuitSignals.blockInThisThread()
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

        let server = HTTPServer(address: address, timeout: 10, logger: .disabled)
        let interval = self.interval
        let started = Clock.monotonic()
        let serving = Task {
            await server.appendRoute("GET /metrics") { request in
                if let token, request.headers[.authorization] != "Bearer \(token)" {
                    return HTTPResponse(statusCode: .unauthorized, headers: [.contentType: "text/plain", HTTPHeader("WWW-Authenticate"): "Bearer realm=\"watchbill\""],
                                        body: Data("unauthorized\n".utf8))
                }
                let now = Clock.wall()
                let (metrics, alerts, scrape) = collector.read { s in
                    (s.engine.seriesSource(over: s.metrics), s.engine.alerts.map(\.alert), s.scrapeLabels(s.latest?.host.hostname ?? "")) }
                let body = ExpositionWriter.render(AgentMetrics.families(metrics: metrics, alerts: alerts, probes: histograms,
                                                                         version: WatchbillCommand.version, now: now, scrapeLabels: scrape))
                return HTTPResponse(statusCode: .ok, headers: [.contentType: ExpositionWriter.contentType], body: Data(body.utf8))
            }
            await server.appendRoute("GET /healthz") { _ in
                // Healthy while samples keep coming: a collector stuck in the kernel is not.
                let age = collector.read { s in s.latest.map { Clock.monotonic() - $0.time } } ?? (Clock.monotonic() - started)
                let fresh = age <= max(3 * interval, 10)
                return HTTPResponse(statusCode: fresh ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                                    body: Data((fresh ? "ok\n" : "stale: no sample for \(Int(age)) s\n").utf8))
            }
            do {
                try await server.run()
            } catch is CancellationError {
            } catch {
                log.error("agent: \(error)")
                kill(getpid(), SIGTERM)
            }
        }

        // The main thread waits for the quit signals (blocked everywhere, taken here).
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&set, s) }
        var signal: Int32 = 0
        sigwait(&set, &signal)
        log.info("agent stop: signal \(signal)")
        let stopped = DispatchSemaphore(value: 0)
        Task {
            await server.stop(timeout: 2)
            serving.cancel()
            stopped.signal()
        }
        _ = stopped.wait(timeout: .now() + 3)
        probes?.stop()
        collector.stop()
    }
}
