#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization

/// A swift-log handler appending to one file. While curses owns the screen nothing may go
/// to stdout or stderr, so every message of the dashboard lands here.
public struct FileLogHandler: LogHandler {
    /// Appends lines to the log file and rotates it past `limit` bytes: the file becomes
    /// `NAME.1` (the one before is dropped) and a fresh one starts, so a log never grows
    /// without end (it reached 131 MB after 274 starts of a noisy theme).
    public final class Sink: Sendable {
        struct File {
            var fd: Int32
            var size: Int
        }
        let file: Mutex<File>
        let path: String
        let limit: Int

        public init(path: String, limit: Int) {
            self.path = path
            self.limit = limit
            var f = File(fd: -1, size: 0)
            if FileLog.size(path) > limit { Sink.rotate(path) }
            f.fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            f.size = max(0, FileLog.size(path))
            self.file = Mutex(f)
        }

        static func rotate(_ path: String) {
            _ = Glibc.rename(path, path + ".1")
        }

        public func write(_ line: String) {
            file.withLock { f in
                guard f.fd >= 0 else { return }
                var bytes = Array(line.utf8)
                bytes.append(0x0A)
                let n = bytes.withUnsafeBytes { Glibc.write(f.fd, $0.baseAddress, $0.count) }
                f.size += max(0, n)
                if f.size > limit {
                    Sink.rotate(path)
                    close(f.fd)
                    f.fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
                    f.size = 0
                }
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
        let sink = FileLogHandler.Sink(path: target, limit: maxBytes)
        return Logger(label: "watchbill") { label in FileLogHandler(sink: sink, label: label) }
    }

    /// Past this the log is rotated (`watchbill.log.1` keeps the one before).
    public static let maxBytes = 8 << 20

    /// A file's size, -1 when it is not there.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
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
