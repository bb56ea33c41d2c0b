import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillConfig
import WatchbillRules
import WatchbillScreen
import WatchbillRuntime

/// `watchbill alerts`: what the running dashboard last saved (it saves every 30 seconds
/// and on every change), rendered with the rules' annotations, for scripts and cron.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Print the pending and firing alerts of the running dashboard (--format json for scripts). Exit 0 OK, 1 P2/P3 firing, 2 P0/P1 firing, 3 unknown.")

    // `--format` belongs to the parent command, which takes it wherever it is written.
    @ParentCommand var parent: WatchbillCommand

    func run() throws {
        let now = Clock.wall()
        let (items, savedAt) = try SavedAlerts.read(at: now)
        var quiet = Logger(label: "watchbill.alerts")
        quiet.logLevel = .critical
        let silences = AlertActionStore.read(log: quiet)?.actions.silences ?? []
        let report = AlertReport(items: items, savedAt: savedAt, now: now, silences: silences)
        switch parent.format {
        case .text: print(report.text(now: now), terminator: "")
        case .json: print(JSONOutput.encode(report))
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}

/// `watchbill report`: the shift handoff, in Markdown: open incidents, what fired, what
/// was acknowledged, notes since the shift began, what was resolved; then the response
/// figures over the period against the targets.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The shift-handoff report (Markdown): incidents, alerts, notes and response times since a time.")

    @Option(help: "How far back the shift goes: 12h, 7d, 90m.")
    var since: HistoryDuration = HistoryDuration(seconds: 12 * 3600)

    func validate() throws {
        guard since.seconds <= 366 * 86_400 else { throw ValidationError("--since: at most a year (366d)") }
    }

    func run() throws {
        let now = Clock.wall()
        let from = now - since.seconds
        let incidents = try IncidentCommand.attempt { try IncidentCommand.store().incidents() }
        let alerts = (try? SavedAlerts.read(at: now).items) ?? []
        var quiet = Logger(label: "watchbill.report")
        quiet.logLevel = .critical
        guard let history = AlertHistoryStore.read(log: quiet) else {
            printError("\(AlertHistoryStore.path): cannot read: \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        let actions = AlertActionStore.read(log: quiet)?.actions ?? AlertActions()
        print(ShiftReport.markdown(incidents: incidents, history: history, alerts: alerts, rules: SavedAlerts.rules(), actions: actions,
                                   since: from, now: now, timeZoneOffsetSeconds: Clock.utcOffset(now)), terminator: "")
    }
}

/// `watchbill runbook new NAME`: a runbook from the incident process's template.
struct RunbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook", abstract: "Work with runbooks.", subcommands: [New.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a runbook skeleton (What this means, Impact, Triage steps, Common causes, Mitigation, Resources) to the runbooks directory.")

        @Argument(help: "The alert's name (ProbeDown) or a file name (probe-down.md).")
        var name: String

        @Option(help: "Where to write it (default $XDG_CONFIG_HOME/watchbill/runbooks).")
        var dir: String?

        func run() throws {
            let file = name.hasSuffix(".md") ? name : name + ".md"
            guard !file.contains("/"), file != ".md" else { throw ValidationError("NAME is a file name, not a path: \(name)") }
            let directory = dir ?? RunbookLibrary.directory
            let path = directory + "/" + file
            if access(path, F_OK) == 0 {
                printError("\(path) exists; not overwritten")
                throw ExitCode(1)
            }
            let alert = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
            FileLog.makeDirectories(directory)
            if let error = AtomicFile.write(Array(RunbookTemplate.scaffold(alert: alert).utf8), to: path) {
                printError("\(path): \(error)")
                throw ExitCode(1)
            }
            print(path)
            print("Fill it in, then point the rule at it: annotations: runbook_url: \(file)")
        }
    }
}
