import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import WatchbillConfig
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
        let report = AlertReport(items: items, savedAt: savedAt, now: now, silences: SavedAlerts.silences())
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
        switch ShiftReport.fromFiles(incidents: incidents, since: from, now: now, timeZoneOffsetSeconds: Clock.utcOffset(now)) {
        case .success(let text): print(text, terminator: "")
        case .failure(let problem):
            printError(problem.message)
            throw ExitCode(1)
        }
    }
}

/// `watchbill runbook new NAME`: a runbook from the incident process's template.
struct RunbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook", abstract: "Work with runbooks.", subcommands: [New.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "new",
            abstract: "Write a runbook skeleton (What this means, Impact, Triage steps, Common causes, Mitigation, Resources) to the runbooks directory.")

        @Argument(help: "The alert's name (ProbeDown) or a file name (probe-down.md).")
        var name: String

        @Option(help: "Where to write it (default $XDG_CONFIG_HOME/watchbill/runbooks).")
        var dir: String?

        func run() throws {
            switch RunbookLibrary.writeScaffold(name: name, dir: dir) {
            case .failure(let problem):
                printError(problem.message)
                throw ExitCode(1)
            case .success(let (path, file)):
                print(path)
                print("Fill it in, then point the rule at it: annotations: runbook_url: \(file)")
            }
        }
    }
}
