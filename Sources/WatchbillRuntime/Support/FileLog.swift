#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization

/// A swift-log handler appending to one file. While curses owns the screen nothing may go
/// to stdout or stderr, so every message of the dashboard lands here.
public struct FileLogHandler: LogHandler {
    public final class Sink: Sendable {
        public let fd: Mutex<Int32>
        public init(fd: Int32) { self.fd = Mutex(fd) }
        public func write(_ line: String) {
            fd.withLock { fd in
                guard fd >= 0 else { return }
                var bytes = Array(line.utf8)
                bytes.append(0x0A)
                _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            }
        }
    }

    public let sink: Sink
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let stamp = Clock.local(Clock.wall(), format: "%Y-%m-%dT%H:%M:%S%z")
        sink.write("\(stamp) \(event.level) \(label): \(event.message)")
    }
}

public enum FileLog {
    /// The log at `path`, or `$XDG_STATE_HOME/watchbill/watchbill.log`. A log that cannot
    /// be opened is not a reason to refuse to start: messages are then dropped.
    public static func open(path: String?) -> Logger {
        let target = path ?? defaultPath()
        if let dir = target.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/") as String?,
           !dir.isEmpty {
            makeDirectories(dir)
        }
        let fd = Glibc.open(target, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        let sink = FileLogHandler.Sink(fd: fd)
        return Logger(label: "watchbill") { label in FileLogHandler(sink: sink, label: label) }
    }

    public static func defaultPath() -> String { stateDirectory() + "/watchbill.log" }

    /// `$XDG_STATE_HOME/watchbill`, else `~/.local/state/watchbill`.
    public static func stateDirectory() -> String {
        if let s = getenv("XDG_STATE_HOME"), s.pointee != 0 { return String(cString: s) + "/watchbill" }
        let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
        return home + "/.local/state/watchbill"
    }

    /// `$XDG_DATA_HOME/watchbill`, else `~/.local/share/watchbill`: what must outlive a
    /// cleared cache or state directory (the incident store).
    public static func dataDirectory() -> String {
        if let s = getenv("XDG_DATA_HOME"), s.pointee != 0 { return String(cString: s) + "/watchbill" }
        let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
        return home + "/.local/share/watchbill"
    }

    /// The incident store every watchbill of the account shares.
    public static var incidentStorePath: String { dataDirectory() + "/incidents.sqlite" }

    public static func makeDirectories(_ path: String) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            mkdir(current, 0o700)
        }
    }
}
