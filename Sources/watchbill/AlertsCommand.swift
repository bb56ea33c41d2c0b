import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillCollectors
import WatchbillConfig
import WatchbillRules
import WatchbillScreen

/// `watchbill alerts`: what the running dashboard last saved (it saves every 30 seconds
/// and on every change), rendered with the rules' annotations, for scripts and cron.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Print the pending and firing alerts of the running dashboard (--format json for scripts). Exit 0 OK, 1 P2/P3 firing, 2 P0/P1 firing, 3 unknown.")

    // `--format` belongs to the parent command, which takes it wherever it is written.
    @ParentCommand var parent: WatchbillCommand

    func run() throws {
        var quiet = Logger(label: "watchbill.alerts")
        quiet.logLevel = .critical
        let now = Clock.wall()
        var engine = try RuleLoader.engine(log: quiet, restore: false)
        let path = RuleLoader.statePath
        var savedAt: Double?
        if let bytes = ProcRoot("/").read(path, limit: 16 << 20) {
            var st = stat()
            if stat(path, &st) == 0 { savedAt = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9 }
            engine.restore(AlertStateFile.decode(String(decoding: bytes, as: UTF8.self)), at: now, maxAge: .infinity)
        }
        let actions = AlertActionStore.read(log: quiet)?.actions ?? AlertActions()
        let report = AlertReport(items: AlertsData(engine: engine, actions: actions, at: now).items, savedAt: savedAt, now: now)
        switch parent.format {
        case .text: print(report.text(now: now), terminator: "")
        case .json: print(JSONOutput.encode(report))
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
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
