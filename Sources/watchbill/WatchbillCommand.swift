import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillConfig
import WatchbillCore
import WatchbillFleet
import WatchbillRecording
import WatchbillScreen
import WatchbillTerminal
import WatchbillRuntime

@main
struct WatchbillCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "watchbill",
        abstract: "A live terminal dashboard of this host's CPU, memory, disk and network, and of the endpoints you probe.",
        discussion: """
            Keys: q quit, ? help, p pause, +/- interval, Tab/arrows/hjkl focus, Enter zoom, Esc back.
            In the Latency and SLO panes: Up/Down select, Enter details, w window, y shared scale.
            When stdout is not a terminal, or with --once, prints one snapshot and exits.
            Probes and SLOs come from $XDG_CONFIG_HOME/watchbill/config.yaml (or --config) and --probe.
            Logs go to $XDG_STATE_HOME/watchbill/watchbill.log (default ~/.local/state/...).
            """,
        version: version,
        subcommands: [ConfigCommand.self, RulesCommand.self, AlertsCommand.self, RunbookCommand.self, IncidentCommand.self, ReportCommand.self, ReplayCommand.self, AgentCommand.self])

    @OptionGroup var configFile: ConfigFileOption
    var config: String? { configFile.config }

    @Option(help: ArgumentHelp("Probe an endpoint (repeatable): https://host/path, tcp://host:port, tls://host:port or dns:name.",
                               valueName: "url"))
    var probe: [String] = []

    @Option(name: .shortAndLong, help: "Seconds between samples (0.25 to 60).")
    var interval: Double = 1

    @Option(help: "How much history the ring buffers keep, e.g. 1h, 30m, 900s.")
    var history: HistoryDuration = HistoryDuration(seconds: 3600)

    @Flag(help: "Print one snapshot and exit, even on a terminal.")
    var once = false

    @Option(help: "Snapshot format: text or json (json implies --once).")
    var format: SnapshotFormat = .text

    @Option(help: "Glyphs: auto (from the locale), unicode, block (Unicode without braille) or ascii.")
    var glyphs: GlyphChoice = .auto

    @Option(help: "What to open on: dashboard, or processes (the process table, like top).")
    var view: StartView = .dashboard

    @Option(help: "Layout: default, triage (CPU, memory, processes, probes), compact (one line per resource), or one named under layouts: in the config. Without it, the panes you last showed or hid.")
    var layout: String?

    @Flag(help: "Mouse: a click focuses a pane, the wheel scrolls the list under it (off in --wall).")
    var mouse = false

    @Option(help: ArgumentHelp("Record every sample, alert transition, probe result and incident entry to FILE (docs/recording-format.md); replay with `watchbill replay FILE`.",
                               valueName: "file"))
    var record: String?

    @Option(help: ArgumentHelp("Keep the last minutes on disk in the state directory, for `watchbill replay --flight` after a crash or an SSH drop; off to turn it off.",
                               valueName: "span|off"))
    var flightRecorder: FlightSpan = FlightSpan(seconds: 15 * 60)

    @Option(name: .customLong("node"), help: ArgumentHelp("Scrape this node_exporter too (repeatable): host:port, host (port 9100) or an http(s) URL; the fleet table becomes the home screen.", valueName: "target"))
    var nodes: [String] = []

    @Option(help: ArgumentHelp("node_exporters to scrape, one a line (host:port or URL; # comments).", valueName: "file"))
    var nodesFile: String?

    @Option(help: "How often the fleet is scraped or queried (default 5s, or the config's fleet: every).")
    var scrapeInterval: HistoryDuration?

    @Option(help: ArgumentHelp("Read the fleet from this Prometheus (the hosts of --prometheus-job's up series; unless --node gives the fleet) and show the alerts it holds, marked PROM; token from WATCHBILL_PROMETHEUS_TOKEN.", valueName: "url"))
    var prometheus: String?

    @Option(help: "With --prometheus: the job whose up series are the fleet's hosts (default node).")
    var prometheusJob: String?

    @Option(help: ArgumentHelp("Show the alerts this Alertmanager holds (its /api/v2/alerts, silenced and inhibited ones muted), marked AM; token from WATCHBILL_ALERTMANAGER_TOKEN.", valueName: "url"))
    var alertmanager: String?

    @Option(help: ArgumentHelp("A file holding the bearer token the node_exporters ask for (else WATCHBILL_NODE_TOKEN).", valueName: "file"))
    var nodeTokenFile: String?

    @Option(help: ArgumentHelp("A file holding user:password for the node_exporters' basic auth (else WATCHBILL_NODE_BASIC_AUTH).", valueName: "file"))
    var nodeBasicAuthFile: String?

    @Option(help: ArgumentHelp("Verify the fleet's https endpoints (node_exporters, Prometheus, Alertmanager) with this CA bundle instead of the system's (else the config's fleet: ca_file).", valueName: "file"))
    var caFile: String?

    @Option(help: "With --record: rotate to FILE.1 past this size (e.g. 100M, 2G).")
    var recordMaxSize: ByteSize = ByteSize(bytes: 512 << 20)

    @Option(help: "With --record: remove rotated files older than this (e.g. 7d).")
    var recordMaxAge: HistoryDuration = HistoryDuration(seconds: 7 * 86_400)

    @Flag(help: "Ring the terminal bell when a new P0 or P1 alert fires (not for silenced ones).")
    var bell = false

    @Flag(help: "Wall display: read-only, keys off (Ctrl-C quits), a big clock and a P0/P1 banner; never saves the layout.")
    var wall = false

    @Option(help: ArgumentHelp("With --wall: switch layouts every DURATION (the config's wall: cycle list, else default and triage).",
                               valueName: "duration"))
    var cycle: HistoryDuration?

    @Option(help: "Color theme: a shipped name (default, light, nord, solarized-dark, high-contrast, mono), a theme in $XDG_CONFIG_HOME/watchbill/themes, or a path.")
    var theme: String = "default"

    @Option(help: "Color depth: auto (from terminfo and COLORTERM), truecolor, 256, 16 or mono.")
    var colors: ColorChoice = .auto

    @Flag(help: "No colors, attributes only (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Show pseudo and memory filesystems (tmpfs, proc, ...) and repeated bind mounts.")
    var allFilesystems = false

    @Flag(help: "Show loop and ram devices and partitions in the device table.")
    var allDevices = false

    @Option(help: "Read /proc and /sys under this directory (a container with the host's mounted at /host).")
    var root: String = "/"

    @Option(help: "Log file (default under the XDG state directory).")
    var logFile: String?

    /// For the end-to-end test of crash handling: trap on the collection thread after this
    /// many samples, so the test can check that the terminal comes back.
    @Option(help: .hidden)
    var debugCrashAfterSamples: Int?

    func validate() throws {
        guard interval >= 0.25 && interval <= 60 else {
            throw ValidationError("--interval must be between 0.25 and 60 seconds, got \(interval)")
        }
        if cycle != nil && !wall { throw ValidationError("--cycle is for --wall") }
        if let s = scrapeInterval, !(1...3600).contains(s.seconds) { throw ValidationError("--scrape-interval must be between 1s and 1h") }
        guard history.seconds >= interval else {
            throw ValidationError("--history must hold at least one sample")
        }
        guard history.seconds / AppState.intervals[0] <= 691_200 else {
            throw ValidationError("--history \(Format.interval(history.seconds)) at --interval \(Format.interval(interval)) "
                + "is too long: at most 48h (kept ready for the 0.25s interval)")
        }
    }

    func run() throws {
        MemoryPolicy.apply()
        let configuration = try ConfigLoader.load(path: config, required: config != nil)
        var specs = configuration.probes
        for argument in probe {
            do {
                let spec = try ProbeArgument.parse(argument, slo: configuration.slo)
                guard !specs.contains(where: { $0.name == spec.name }) else {
                    throw ValidationError("--probe \(spec.name) is already a probe in the config")
                }
                specs.append(spec)
            } catch let error as SourceError {
                throw ValidationError(error.description)
            }
        }
        let targets = try fleetTargets(configured: configuration.fleet.nodes)
        // Flags over the config's fleet section.
        let prometheus = self.prometheus ?? configuration.fleet.prometheus
        let alertmanager = self.alertmanager ?? configuration.fleet.alertmanager
        let prometheusJob = self.prometheusJob ?? configuration.fleet.job ?? "node"
        let scrapeEvery = scrapeInterval?.seconds ?? configuration.fleet.every.map { min(3600, max(1, $0)) } ?? 5
        if !configuration.fleet.latency.isEmpty && prometheus == nil {
            throw ValidationError("the config's fleet: latency is read from Prometheus: add fleet: prometheus: URL, or --prometheus URL")
        }
        let layouts = LayoutSpec.all(configuration.layouts)
        if let layout, !layouts.contains(where: { $0.name == layout }) {
            throw ValidationError("--layout \(layout): no such layout (\(layouts.map(\.name).joined(separator: ", ")))")
        }
        let procRoot = ProcRoot(root)
        guard procRoot.exists("/proc/stat") else {
            throw ValidationError("no \(procRoot.resolve("/proc/stat")): is \(root) a Linux root with /proc mounted?")
        }
        let filter = DeviceFilter(showPseudoFilesystems: allFilesystems, showAllBlockDevices: allDevices)
        // Room for the whole history at the shortest interval `-` can reach; retention by
        // time keeps it to `--history` at any interval. Untouched capacity is never resident.
        let capacity = max(1, Int((history.seconds / min(interval, AppState.intervals[0])).rounded(.up)) + 1)
        let isTerminal = isatty(1) == 1 && isatty(0) == 1
        if once || format == .json || !isTerminal {
            // A snapshot is not a session: recording it would be a file of one tick, silently.
            if record != nil { throw ValidationError("--record is for the dashboard (not --once, --format json or a pipe)") }
            if !targets.isEmpty || prometheus != nil {
                try printFleet(targets, prometheus: prometheus, job: prometheusJob, settings: configuration.fleet)
                return
            }
            try printSnapshot(root: procRoot, filter: filter, probes: specs)
            return
        }
        // Other hosts are checked before any thread starts: a bad address or an unreadable
        // CA or token file stops the start with nothing to undo.
        let usesFleet = !targets.isEmpty || prometheus != nil || alertmanager != nil
        let fetcher = usesFleet ? try fleetFetcher(configuration.fleet) : nil
        let nodeHeaders = targets.isEmpty ? [] : try fleetHeaders(configuration.fleet)
        let prometheusAPI = try prometheus.map { url in
            guard let api = RemoteAlertsLoop.apiBase(url) else { throw ValidationError("--prometheus \(url): use host:port or an http(s) URL") }
            return api
        }
        let remoteSources = try [(AlertOrigin.System.prometheus, prometheus, "WATCHBILL_PROMETHEUS_TOKEN"),
                                 (.alertmanager, alertmanager, "WATCHBILL_ALERTMANAGER_TOKEN")].compactMap { kind, url, env in
            try url.map { url in
                guard let source = RemoteAlertsLoop.source(kind, url, headers: Self.bearer(env), timeout: 4) else {
                    throw ValidationError("\(kind == .prometheus ? "--prometheus" : "--alertmanager") \(url): use host:port or an http(s) URL")
                }
                return source
            }
        }
        TerminalWakeUp.useOneMallocArena()
        let wakeUp = TerminalWakeUp()
        let log = FileLog.open(path: logFile)
        log.info("start watchbill \(Self.version) interval=\(interval)s history=\(Format.interval(history.seconds)) root=\(root)")
        let env = ProcessEnvironment()
        let glyphSet = glyphs.resolve(utf8: Terminal.localeIsUTF8())
        let useColor = !noColor && !env.noColor
        var writers: [(RecordingWriter, String)] = []
        if let record {
            do {
                writers.append((try RecordingWriter(path: record, maxBytes: recordMaxSize.bytes, maxAge: recordMaxAge.seconds,
                                                    now: Clock.monotonic()), record))
                log.info("recording to \(record)")
            } catch {
                throw ValidationError("--record: \(error)")
            }
        }
        let primary = InstanceLock.acquire(log: log)
        // A restart goes on from the last run's minutes: graphs continue, rule windows are full.
        var refill = primary && flightRecorder.seconds != nil
            ? FlightRecorder.refill(specs: specs, span: history.seconds, log: log) : FlightRefill()
        // One per account (the dashboard holding the lock): two would fight over the file.
        if primary, let span = flightRecorder.seconds {
            do {
                writers.append((try FlightRecorder.writer(span: span, now: Clock.monotonic()), FlightRecorder.name))
                log.info("flight recorder: the last \(Format.interval(span)) in \(FlightRecorder.path)")
            } catch {
                // Never a reason not to start: the dashboard runs, the log says why.
                log.warning("flight recorder off: \(error)")
            }
        }
        // Always there in the dashboard: `R` can start a recording at any time.
        let recorder = RecorderQueue(writers, log: log)
        // The targets head every file of a recording, so a replay shows the Latency and SLO panes.
        if !specs.isEmpty { recorder.setPreamble(kind: .probes, EventCodec.encode(specs.map(RecordedProbe.init))) }
        let rules = try RuleLoader.engine(log: log)
        let active = Set(rules.alerts.filter { $0.alert.phase != .resolved }.map(\.alert.labels))
        let collector = CollectionLoop(
            collector: HostCollector(root: procRoot, filter: filter), processScanner: ProcessScanner(root: procRoot),
            capacity: capacity, retention: history.seconds,
            interval: interval, rules: rules,
            actions: AlertActionStore.load(at: Clock.wall(), activeAlerts: active, compact: primary, log: log),
            notifier: primary ? AlertNotifier.make(configuration.notify, log: log) : nil, recorder: recorder,
            keepsHistory: primary, wakeUp: wakeUp, log: log,
            crashAfterSamples: debugCrashAfterSamples)
        collector.refill(refill, specs: specs)
        if !specs.isEmpty { log.info("probing \(specs.count) targets: \(specs.map(\.target).joined(separator: ", "))") }
        let probes: ProbeLoop?
        do {
            probes = specs.isEmpty ? nil : try ProbeLoop(specs: specs, recent: refill.probeResults, wakeUp: wakeUp, log: log, record: { [collector, recorder] result, spec in
                collector.record(result, spec: spec)
                recorder.append(kind: .probeResult, EventCodec.encode(result), now: Clock.monotonic())
            }, burnRates: { [collector] rates in
                collector.record(rates)
            })
        } catch {
            log.error("\(error)")
            collector.stop()
            throw ValidationError("\(error)")
        }
        // Taken back: the recording's files and index are let go for the rest of the run.
        refill = FlightRefill()
        var dashboard = DashboardLoop(collection: collector, probes: probes, interval: interval, glyphs: glyphSet,
                                 useColor: useColor, colorOverride: colors.depth, themeName: theme,
                                 startInProcesses: view == .processes,
                                 layout: layout.flatMap { n in layouts.first { $0.name == n } },
                                 sharedLatencyAxis: configuration.sharedLatencyAxis,
                                 wall: wall ? WallCycle(configuration, layouts: layouts, every: cycle?.seconds) : nil,
                                 mouse: mouse && !wall, bell: bell,
                                 autoOpenIncidents: configuration.autoOpenIncidents, primary: primary,
                                 log: log)
        dashboard.recordingTo = record
        var fleet: (any FleetSource)?
        let prometheusToken = Self.bearer("WATCHBILL_PROMETHEUS_TOKEN")
        if let fetcher, !targets.isEmpty {
            // A fleet keeps a quarter of an hour: 500 hosts of an hour at 5 s would be 115 MB.
            fleet = FleetLoop(targets: targets, interval: scrapeEvery, history: min(history.seconds, 900), headers: nodeHeaders,
                              fetcher: fetcher, wakeUp: wakeUp, log: log)
            log.info("fleet: \(targets.count) node_exporters every \(Format.interval(scrapeEvery))")
        } else if let fetcher, let (base, instance) = prometheusAPI {
            fleet = PrometheusFleetLoop(base: base, instance: instance, job: prometheusJob, interval: scrapeEvery,
                                        headers: prometheusToken, fetcher: fetcher, wakeUp: wakeUp, log: log)
            log.info("fleet: prometheus \(instance), job \(prometheusJob), every \(Format.interval(scrapeEvery))")
        }
        dashboard.fleet = fleet
        var remote: RemoteAlertsLoop?
        if let fetcher, !remoteSources.isEmpty {
            remote = RemoteAlertsLoop(sources: remoteSources, interval: 5, fetcher: fetcher, wakeUp: wakeUp, log: log)
            log.info("alerts also from \(remoteSources.map(\.origin.description).joined(separator: ", "))")
        }
        dashboard.remoteAlerts = remote
        var latency: ServiceLatencyLoop?
        if let fetcher, let (base, instance) = prometheusAPI, !configuration.fleet.latency.isEmpty {
            latency = ServiceLatencyLoop(base: base, specs: configuration.fleet.latency, interval: scrapeEvery,
                                         headers: prometheusToken, fetcher: fetcher, wakeUp: wakeUp, log: log)
            let n = configuration.fleet.latency.count
            log.info("latency: \(n) histogram\(n == 1 ? "" : "s") from prometheus \(instance)")
        }
        dashboard.serviceLatency = latency
        let exit = dashboard.run()
        log.info("stop: \(exit)")
        fleet?.stop()
        remote?.stop()
        latency?.stop()
        probes?.stop()
        collector.stop()
        recorder.finish()
    }

    /// A bearer token from the environment as a header (none when unset or empty).
    static func bearer(_ env: String) -> [Header] {
        ProcessEnvironment.value(env).map(FleetAccess.bearer) ?? []
    }

    /// The fleet's credentials: flags, then the environment, then the config file.
    func fleetHeaders(_ settings: FleetSettings) throws -> [Header] {
        do {
            return try FleetAccess.headers(.init(tokenFile: nodeTokenFile, basicAuthFile: nodeBasicAuthFile, settings: settings,
                                                 read: ProcessEnvironment.read, environment: ProcessEnvironment.value))
        } catch { throw ValidationError("\(error)") }
    }

    /// The client every fleet source shares the settings of: TLS verified, against
    /// `--ca-file` (or the config's) when given; a CA file that cannot be read stops the start.
    func fleetFetcher(_ settings: FleetSettings) throws -> HTTPFetcher {
        let ca = caFile ?? settings.caFile
        if let ca, ProcRoot("/").read(ca) == nil {
            throw ValidationError("\(caFile != nil ? "--ca-file" : "config fleet: ca_file") \(ca): cannot read: \(String(cString: strerror(errno)))")
        }
        do { return try HTTPFetcher(caFile: ca) } catch { throw ValidationError("\(error)") }
    }

    /// The config's nodes, `--node` and `--nodes-file`; a duplicate is scraped once.
    func fleetTargets(configured: [String] = []) throws -> [FleetTarget] {
        do { return try FleetAccess.targets(configured: configured, flags: nodes, nodesFile: nodesFile, read: ProcessEnvironment.read) } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The fleet table once, for scripts: scraped twice an interval apart (rates need two),
    /// or one round of Prometheus' queries. Exit 2 when a host is down.
    private func printFleet(_ targets: [FleetTarget], prometheus: String?, job prometheusJob: String,
                            settings: FleetSettings) throws {
        let fetcher = try fleetFetcher(settings)
        let specs = settings.latency
        let rows: [FleetRow], source: String
        // Prometheus not answering `up`: no hosts to list, and not a fleet that is fine.
        var sourceDown = false
        if !targets.isEmpty {
            rows = FleetOnce.scrape(targets, headers: try fleetHeaders(settings), interval: interval, fetcher: fetcher)
            source = "\(targets.count) node_exporters"
        } else {
            guard let prometheus, let (base, instance) = RemoteAlertsLoop.apiBase(prometheus) else {
                throw ValidationError("--prometheus: use host:port or an http(s) URL")
            }
            let round = FleetOnce.prometheus(base: base, job: prometheusJob, interval: max(1, interval),
                                             headers: Self.bearer("WATCHBILL_PROMETHEUS_TOKEN"), fetcher: fetcher)
            for p in round.problems { printError("prometheus \(instance): \(p)") }
            sourceDown = round.sourceDown
            rows = PrometheusFleetRound.rows(round.hosts, problems: round.problems, age: 0)
            source = "prometheus \(instance) job \(prometheusJob)"
        }
        var latency: [ServiceLatency]?
        if let prometheus, !specs.isEmpty, let (base, instance) = RemoteAlertsLoop.apiBase(prometheus) {
            let answer = ServiceLatencyLoop.round(PrometheusLatency(specs), base: base, now: Clock.wall(),
                                                  headers: Self.bearer("WATCHBILL_PROMETHEUS_TOKEN"), timeout: 10, fetcher: fetcher)
            if let problem = answer.problem { printError("latency from prometheus \(instance): \(problem)") }
            latency = answer.rows ?? []
        }
        let report = FleetReport(rows: rows, source: source, latency: latency)
        switch format {
        case .text: print(report.text, terminator: "")
        case .json: print(JSONOutput.encode(report))
        }
        if report.exitCode != 0 || sourceDown { throw ExitCode(2) }
    }

    /// One snapshot; with probes, each runs once (concurrently, while the host sample waits).
    private func printSnapshot(root: ProcRoot, filter: DeviceFilter, probes specs: [ProbeSpec]) throws {
        let (snap, summaries) = try SnapshotOnce.take(root: root, filter: filter, probes: specs, interval: interval)
        switch format {
        case .text:
            let probeLines = ProbeText.lines(summaries.map { $0[1] })
            print(TextReport.render(snap, interval: interval, localTime: Clock.localTimestamp(snap.wallClock)), terminator: "")
            if !probeLines.isEmpty { print(probeLines.joined(separator: "\n")) }
        case .json:
            var report = SnapshotReport(snap, interval: interval)
            if !summaries.isEmpty { report.probes = summaries.map(ProbePart.init) }
            print(JSONOutput.encode(report))
        }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, truecolor, xterm256 = "256", ansi16 = "16", mono

    var depth: ColorDepth? {
        switch self {
        case .auto: return nil
        case .truecolor: return .truecolor
        case .xterm256: return .xterm256
        case .ansi16: return .ansi16
        case .mono: return .monochrome
        }
    }
}

enum StartView: String, ExpressibleByArgument, CaseIterable {
    case dashboard, processes
}

enum SnapshotFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

enum GlyphChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, unicode, block, ascii

    func resolve(utf8: Bool) -> GlyphSet {
        switch self {
        case .auto: return utf8 ? .unicode : .ascii
        case .unicode: return .unicode
        case .block: return GlyphSet.unicode.with(graph: .block)
        case .ascii: return .ascii
        }
    }
}

/// `1h`, `30m`, `900s` or plain seconds.
struct HistoryDuration: ExpressibleByArgument {
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    /// The config file's duration syntax (`500ms` to `30d`), above zero.
    init?(argument: String) {
        guard let s = Values.duration(argument), s > 0, s.isFinite else { return nil }
        seconds = s
    }

    var defaultValueDescription: String { Format.interval(seconds) }
}

/// `--flight-recorder`: a span (`15m`, `1h`) or `off`.
struct FlightSpan: ExpressibleByArgument {
    var seconds: Double?
    init(seconds: Double?) { self.seconds = seconds }
    init?(argument: String) {
        if argument == "off" || argument == "0" {
            seconds = nil
            return
        }
        guard let d = HistoryDuration(argument: argument), d.seconds >= 60, d.seconds <= 7 * 86_400 else { return nil }
        seconds = d.seconds
    }
    var defaultValueDescription: String { seconds.map(Format.interval) ?? "off" }
}

/// `100M`, `2G`, `512K` or plain bytes.
struct ByteSize: ExpressibleByArgument {
    var bytes: Int
    init(bytes: Int) { self.bytes = bytes }
    init?(argument: String) {
        guard let n = Values.byteSize(argument) else { return nil }
        bytes = n
    }
    var defaultValueDescription: String { "\(bytes >> 20)M" }
}
