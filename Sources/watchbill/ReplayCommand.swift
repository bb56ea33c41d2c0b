import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillRecording
import WatchbillScreen
import WatchbillTerminal
import WatchbillRuntime

/// `watchbill replay FILE --once --at TIME`: the host as recorded at a moment, as text (the
/// `--once` snapshot) or JSON, for scripts and for pasting into a postmortem.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recording (--record, or --flight for the flight recorder) in the dashboard: Space pause, Left/Right a minute, [ ] speed, g/G start/end, H rewind; a time bar shows where alerts fired. With --once, print the moment --at TIME (text or --format json) and the alerts firing then.")

    @Argument(help: "A recording written with --record (its rotated parts FILE.1, FILE.2... too with --rotated).")
    var file: String?
    @Flag(help: "Replay the flight recorder: the last minutes the dashboard kept in the state directory.")
    var flight = false
    @Flag(help: "Include the rotated parts of FILE (FILE.5 ... FILE.1, then FILE), oldest first.")
    var rotated = false
    @Option(help: "When: +90s or +5m (after the recording starts), HH:MM[:SS] (local, on the day it starts) or Unix seconds; default the end.")
    var at: String?
    @Option(help: "Playing speed, 0.25 to 64 (times real time); [ and ] change it while playing.")
    var speed: Double = 1

    func validate() throws {
        guard (0.25...64).contains(speed) else { throw ValidationError("--speed must be between 0.25 and 64") }
        guard (file != nil) != flight else { throw ValidationError("give a recording FILE, or --flight for the flight recorder") }
    }

    /// The files to read, oldest first; exits 2 when there is none.
    func paths() throws -> [String] {
        let list = FlightRecorder.parts(of: flight ? FlightRecorder.path : file!, rotated: flight || rotated)
        guard let missing = list.first(where: { access($0, R_OK) != 0 }) else { return list }
        let why = flight ? " (is the flight recorder on? it is off with --flight-recorder off)" : ""
        printError("\(missing): cannot read: \(String(cString: strerror(errno)))\(why)")
        throw ExitCode(2)
    }

    /// Opens and indexes the files; says what was damaged, and exits 1 without a tick.
    func read(_ paths: [String]) throws -> RecordingSet {
        let set: RecordingSet
        do {
            set = try RecordingSet(paths: paths)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        return set
    }

    // `--once` and `--format` belong to the root command, which takes them wherever they are written.
    @ParentCommand var root: WatchbillCommand

    func run() throws {
        MemoryPolicy.apply()
        guard root.once || root.format == .json else {
            try play()
            return
        }
        let files = try paths()
        let read: (moment: RecordingMoment?, problems: [String])
        do {
            read = try RecordingMoment.read(files, localTimestamp: Clock.localTimestamp) { first in
                try at.map { try moment($0, start: first.wallClock) }
            }
        } catch let unreadable as RecordingMoment.Unreadable {
            printError("\(unreadable)")
            throw ExitCode(2)
        }
        for p in read.problems { printError(p) }
        guard let m = read.moment else {
            printError("\(files.last!): no samples")
            throw ExitCode(1)
        }
        if m.outside {
            printError("\(files.last!): --at is outside the recording (\(Clock.localTimestamp(m.first.wallClock)) to "
                + "\(Clock.localTimestamp(m.lastRead.wallClock))); showing the nearest sample")
        }
        let (snap, interval, firing) = (m.shown, m.interval, m.firing)
        switch root.format {
        case .text:
            print(TextReport.render(snap, interval: interval, localTime: Clock.localTimestamp(snap.wallClock)), terminator: "")
            print(firing.isEmpty ? "alerts   none firing" : "alerts   \(firing.count) firing")
            for a in firing {
                let rest = a.labels.filter { $0.key != "alertname" && $0.key != "severity" }.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                print("  \(a.severity) \(a.name) since \(Clock.localTimestamp(a.wallClock))" + (rest.isEmpty ? "" : "  \(rest)"))
            }
        case .json:
            var report = SnapshotReport(snap, interval: interval)
            report.alertsFiring = firing.map {
                SnapshotReport.FiringPart(name: $0.name, severity: $0.severity, labels: $0.labels, sinceUnixSeconds: $0.wallClock)
            }
            print(JSONOutput.encode(report))
        }
    }

    func moment(_ text: String, start: Double) throws -> Double {
        guard let t = RecordingTime.resolve(text, start: start, utcOffset: Clock.utcOffset(start)) else {
            throw ValidationError("--at \(text): use +5m, HH:MM[:SS] or Unix seconds")
        }
        return t
    }

    /// The dashboard driven by the recording: the same panes, the default rules evaluated
    /// over the recorded series (so alerts fire as they did), at the recording's pace.
    func play() throws {
        guard isatty(0) == 1 && isatty(1) == 1 else { throw ValidationError("replay needs a terminal (or --once)") }
        // One pass to check every record and note where each tick is; the ticks stay in the files.
        let files = try paths()
        let recording = try read(files)
        guard let firstWall = recording.ticks.first?.wallClock else {
            printError(recording.problems.first ?? "\(files.last!): no samples")
            throw ExitCode(1)
        }
        let events = recording.events
        let log = FileLog.open(path: root.logFile)
        for problem in recording.problems { log.warning("\(problem); replaying what came before") }
        log.info("replay \(recording.files.map(\.path).joined(separator: ", ")): \(recording.ticks.count) ticks, \(events.alerts.count) alert transitions, \(events.incidents.count) incident entries, \(events.probeResults.count) probe results")
        let startIndex = try at.map { text in
            let t = try moment(text, start: firstWall)
            return recording.ticks.firstIndex { $0.wallClock >= t } ?? recording.ticks.count
        } ?? 0
        let source = ReplaySource(recording, startAt: startIndex)
        let capacity = max(2, Int((3600 / source.step).rounded(.up)) + 1)
        let collector = CollectionLoop(collector: source, processScanner: ProcessScanner(root: ProcRoot("/")),
                                       capacity: capacity, retention: 3600 * max(1, source.step), interval: source.step / speed,
                                       rules: try RuleLoader.engine(log: log, restore: false),
                                       recordedMarks: source.marks, wakeUp: TerminalWakeUp(), log: log)
        if at != nil {
            let (ticks, results) = source.seek(to: startIndex, history: capacity)
            collector.restart(with: ticks, probeResults: results)
        }
        let probes: (any ProbeSummaries)? = source.probeSpecs.isEmpty ? nil : ReplayProbeSummaries(collection: collector)
        var loop = DashboardLoop(collection: collector, probes: probes, interval: source.step,
                                 glyphs: root.glyphs.resolve(utf8: Terminal.localeIsUTF8()),
                                 useColor: !root.noColor && !ProcessEnvironment().noColor, colorOverride: root.colors.depth,
                                 themeName: root.theme, startInProcesses: false, layout: nil, sharedLatencyAxis: false,
                                 wall: nil, mouse: false, bell: false, autoOpenIncidents: false, primary: false, log: log)
        loop.replay = source
        if let problem = recording.problems.first, let last = recording.ticks.last {
            loop.startNotice = "\(problem); plays up to \(Clock.localClock(last.wallClock))"
        }
        let exit = loop.run()
        log.info("replay stop: \(exit)")
        collector.stop()
    }
}
