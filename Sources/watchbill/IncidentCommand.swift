import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore
import WatchbillIncidentStore
import WatchbillIncidents
import WatchbillScreen
import WatchbillRuntime

/// `watchbill incident ...`: the incident store from scripts, bots and other terminals.
/// The same store the dashboard uses, so a note added here shows in the view at once.
struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Incidents from the command line: list, show, new, note, ack, mark, status, severity, resolve, export.",
        subcommands: [List.self, Show.self, New.self, NoteCommand.self, Ack.self, Mark.self, Status.self,
                      SeverityCommand.self, Resolve.self, Export.self])

    // `--format` belongs to the root command, which takes it wherever it is written.
    @ParentCommand var root: WatchbillCommand
    var json: Bool { root.format == .json }

    /// The store, or exit 2 with why (a file that is not a store is never touched).
    static func store() throws -> IncidentStore {
        FileLog.makeDirectories(FileLog.dataDirectory())
        do {
            return try IncidentStore(path: FileLog.incidentStorePath)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }

    static func author() -> String { DashboardActions.userName() }

    /// Runs a store call; a refusal (no acknowledging a resolved incident) exits 1 with why.
    static func attempt<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as IncidentStore.StoreError {
            printError(e.description)
            throw ExitCode(1)
        }
    }

    static func append(_ id: Int64, _ kind: IncidentEvent.Kind, field: String = "", text: String = "",
                       at: IncidentTime?, json: Bool) throws {
        let store = try store()
        let now = Clock.wall()
        let event = try attempt {
            try store.append(IncidentEvent(incident: id, at: at?.resolve(now: now) ?? now, writtenAt: now, author: author(),
                                           kind: kind, field: field, text: text))
        }
        if json {
            print(JSONOutput.encode(SavedJSON(incident: id, seq: event.seq, kind: kind.rawValue)))
        } else {
            print("incident \(id): \(event.words) saved (entry \(event.seq))")
        }
    }

    /// What a bot reads back after a write: which incident, which entry.
    struct SavedJSON: Encodable {
        var incident: Int64
        var seq: Int64?
        var kind: String
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Open incidents, worst first (--all for every one).")
        @Flag(help: "Resolved ones too.") var all = false
        @ParentCommand var parent: IncidentCommand

        func run() throws {
            let now = Clock.wall()
            var list = try IncidentCommand.attempt { try IncidentCommand.store().incidents() }
            if !all { list = list.filter { $0.status != .resolved } }
            list = IncidentList.ordered(list)
            if parent.json {
                print(JSONOutput.encode(list.map { IncidentJSON($0, now: now) }))
            } else {
                if list.isEmpty { print(all ? "no incidents" : "no open incidents") }
                for i in list { print(IncidentList.line(i, now: now)) }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "One incident with its timeline.")
        @Argument(help: "Incident number.") var id: Int64
        @ParentCommand var parent: IncidentCommand

        func run() throws {
            let now = Clock.wall()
            guard let i = try IncidentCommand.attempt({ try IncidentCommand.store().incidents() }).first(where: { $0.id == id }) else {
                printError("no incident \(id)")
                throw ExitCode(1)
            }
            if parent.json {
                print(JSONOutput.encode(IncidentJSON(i, now: now)))
            } else {
                print(Postmortem.markdown(i, now: now, timeZoneOffsetSeconds: Clock.utcOffset(now)), terminator: "")
            }
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "new", abstract: "Open an incident; prints its number.")
        @ParentCommand var parent: IncidentCommand
        @Argument(help: "Title.") var title: [String]
        @Option(help: "P0 system down, data loss, security breach; P1 major feature broken; P2 minor feature issue; P3 cosmetic.")
        var severity: Severity = .p2
        @Option(help: "When it was detected: 15m (ago), 14:05 (today, local) or Unix seconds; default now.")
        var detected: IncidentTime?

        func run() throws {
            let now = Clock.wall()
            let store = try IncidentCommand.store()
            let id = try IncidentCommand.attempt {
                try store.open(title: title.joined(separator: " "), severity: severity,
                               detectedAt: detected?.resolve(now: now), at: now, author: IncidentCommand.author())
            }
            if parent.json {
                print(JSONOutput.encode(SavedJSON(incident: id, seq: nil, kind: "opened")))
            } else {
                print(id)
            }
        }
    }

    struct NoteCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a note to the timeline.")
        @ParentCommand var parent: IncidentCommand
        @Argument(help: "Incident number.") var id: Int64
        @Argument(help: "The note.") var text: [String]
        @Option(help: "When it happened: 10m (ago), 14:05, Unix seconds; default now.") var at: IncidentTime?
        /// For the crash test: add this many notes, printing each one's number once it is saved.
        @Option(help: .hidden) var repeatCount: Int = 1

        func run() throws {
            let note = text.joined(separator: " ")
            guard !note.isEmpty else { throw ValidationError("a note needs text") }
            if repeatCount == 1 {
                try IncidentCommand.append(id, .note, text: note, at: at, json: parent.json)
                return
            }
            let store = try IncidentCommand.store()
            for i in 0..<repeatCount {
                let now = Clock.wall()
                let e = try IncidentCommand.attempt {
                    try store.append(IncidentEvent(incident: id, at: now, writtenAt: now, author: IncidentCommand.author(),
                                                   kind: .note, text: "\(note) \(i)"))
                }
                // Straight to the descriptor: a line printed is a note committed, with no
                // buffer between them for a SIGKILL to lose.
                let line = Array(PlainText.safe("saved \(e.seq) \(note) \(i)\n").utf8)
                _ = line.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge: someone is on it.")
        @ParentCommand var parent: IncidentCommand
        @Argument(help: "Incident number.") var id: Int64
        @Option(help: "When: 5m (ago), 14:05, Unix seconds; default now.") var at: IncidentTime?
        func run() throws {
            try IncidentCommand.append(id, .acknowledged, at: at, json: parent.json)
            // Its alerts too; a running dashboard picks the acknowledgements up from the journal.
            guard let events = try? IncidentCommand.store().events(of: id), let incident = Incident.fold(id: id, events: events)
            else { return }
            for (ack, failure) in SavedAlerts.acknowledgeLinked(incident, by: IncidentCommand.author(), at: Clock.wall()) {
                if let error = failure {
                    printError("alert \(ack.labels) not acknowledged: \(error)")
                } else if !parent.json {
                    print("alert \(ack.labels["alertname"] ?? "?") acknowledged \(ack.labels)")
                }
            }
        }
    }

    struct Mark: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mark",
            abstract: "Mark a moment: mitigation-started, restored, root-cause (with text), fix-deployed (with text), detected, alerted.")
        @ParentCommand var parent: IncidentCommand
        @Argument(help: "Incident number.") var id: Int64
        @Argument(help: "mitigation-started, restored, root-cause, fix-deployed, detected or alerted.") var moment: String
        @Argument(help: "Text (the root cause, the fix).") var text: [String] = []
        @Option(help: "When: 5m (ago), 14:05, Unix seconds; default now.") var at: IncidentTime?

        func run() throws {
            let kinds: [String: IncidentEvent.Kind] = [
                "mitigation-started": .mitigationStarted, "restored": .restored, "root-cause": .rootCauseIdentified,
                "fix-deployed": .fixDeployed, "detected": .detected, "alerted": .alerted,
            ]
            guard let kind = kinds[moment] else {
                throw ValidationError("unknown moment '\(moment)': \(kinds.keys.sorted().joined(separator: ", "))")
            }
            try IncidentCommand.append(id, kind, text: text.joined(separator: " "), at: at, json: parent.json)
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Set the status: investigating, mitigated, resolved.")
        @ParentCommand var parent: IncidentCommand
        @Argument(help: "Incident number.") var id: Int64
        @Argument(help: "investigating, mitigated or resolved.") var status: IncidentStatus
        // Resolving is the `resolved` moment (its time is what reports read), as in the view.
        func run() throws {
            if status == .resolved {
                try IncidentCommand.append(id, .resolved, at: nil, json: parent.json)
            } else {
                try IncidentCommand.append(id, .statusChanged, field: status.rawValue, at: nil, json: parent.json)
            }
        }
    }

    struct SeverityCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "severity", abstract: "Change the severity (P0 to P3).")
        @ParentCommand var parent: IncidentCommand
        @Argument(help: "Incident number.") var id: Int64
        @Argument(help: "P0, P1, P2 or P3.") var severity: Severity
        func run() throws { try IncidentCommand.append(id, .severityChanged, field: severity.rawValue, at: nil, json: parent.json) }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve the incident.")
        @ParentCommand var parent: IncidentCommand
        @Argument(help: "Incident number.") var id: Int64
        @Option(help: "When: 5m (ago), 14:05, Unix seconds; default now.") var at: IncidentTime?
        func run() throws { try IncidentCommand.append(id, .resolved, at: at, json: parent.json) }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "The postmortem in the team's template, as Markdown.")
        @Argument(help: "Incident number.") var id: Int64
        @Option(name: .shortAndLong, help: "Write it to this file (not overwritten if it exists) instead of stdout.")
        var output: String?

        func run() throws {
            let now = Clock.wall()
            guard let i = try IncidentCommand.attempt({ try IncidentCommand.store().incidents() }).first(where: { $0.id == id }) else {
                printError("no incident \(id)")
                throw ExitCode(1)
            }
            let text = Postmortem.markdown(i, now: now, timeZoneOffsetSeconds: Clock.utcOffset(now))
            guard let output else {
                print(text, terminator: "")
                return
            }
            guard access(output, F_OK) != 0 else {
                printError("\(output) exists; not overwritten")
                throw ExitCode(1)
            }
            if let error = AtomicFile.write(Array(text.utf8), to: output) {
                printError("\(output): \(error)")
                throw ExitCode(1)
            }
            print(output)
        }
    }
}

extension Severity: ExpressibleByArgument {}
extension IncidentStatus: ExpressibleByArgument {}

/// `--at`: when it happened (`PastMoment`: `15m` ago, `14:05` today, Unix seconds).
struct IncidentTime: ExpressibleByArgument {
    var moment: PastMoment
    init?(argument: String) {
        guard let m = PastMoment(argument) else { return nil }
        moment = m
    }
    func resolve(now: Double) -> Double { moment.resolve(now: now, utcOffset: Clock.utcOffset(now)) }
}
