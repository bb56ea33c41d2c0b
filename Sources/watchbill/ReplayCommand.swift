import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillCore
import WatchbillRecording
import WatchbillScreen

/// `watchbill replay FILE --once --at TIME`: the host as recorded at a moment, as text (the
/// `--once` snapshot) or JSON, for scripts and for pasting into a postmortem.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Print the host as a recording (--record) saw it at a moment: --once --at TIME, text or --format json.")

    @Argument(help: "A recording written with --record.") var file: String
    @Option(help: "When: +90s or +5m (after the recording starts), HH:MM[:SS] (local, on the day it starts) or Unix seconds; default the end.")
    var at: String?
    // `--once` and `--format` belong to the root command, which takes them wherever they are written.
    @ParentCommand var root: WatchbillCommand

    func run() throws {
        guard root.once else {
            printError("watchbill replay: only --once exists so far; the interactive replay (seek, speed) is still to come")
            throw ExitCode(64)
        }
        guard let bytes = ProcRoot("/").read(file, limit: 4 << 30) else {
            printError("\(file): cannot read: \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        let contents = RecordingContents(bytes: bytes)
        if let problem = contents.problem {
            let last = contents.snapshots.last.map { Clock.localTimestamp($0.wallClock) } ?? "nothing"
            printError("\(file): \(problem); replaying what came before (up to \(last))")
        }
        guard let first = contents.snapshots.first, let last = contents.snapshots.last else {
            printError("\(file): no samples")
            throw ExitCode(1)
        }
        let when = try at.map { try moment($0, start: first.wallClock) } ?? last.wallClock
        guard let snap = contents.snapshot(at: when) else { throw ExitCode(1) }
        let index = contents.snapshots.lastIndex { $0.wallClock <= snap.wallClock } ?? 0
        let interval = index > 0 ? snap.wallClock - contents.snapshots[index - 1].wallClock : 1
        switch root.format {
        case .text:
            print(TextReport.render(snap, interval: interval, localTime: Clock.localTimestamp(snap.wallClock)), terminator: "")
        case .json:
            print(JSONOutput.encode(SnapshotReport(snap, interval: interval)))
        }
    }

    func moment(_ text: String, start: Double) throws -> Double {
        if text.hasPrefix("+"), let d = HistoryDuration(argument: String(text.dropFirst())) { return start + d.seconds }
        if let t = Double(text), t > 1e9 { return t }
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard (2...3).contains(parts.count), parts.count == text.split(separator: ":").count,
              (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
            throw ValidationError("--at \(text): use +5m, HH:MM[:SS] or Unix seconds")
        }
        let offset = Double(Clock.utcOffset(start))
        let midnight = ((start + offset) / 86_400).rounded(.down) * 86_400 - offset
        var t = midnight + Double(parts[0] * 3600 + parts[1] * 60 + (parts.count == 3 ? parts[2] : 0))
        if t < start - 60 { t += 86_400 }
        return t
    }
}
