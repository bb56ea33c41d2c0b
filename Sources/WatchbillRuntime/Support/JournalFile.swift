#if canImport(Glibc)
import Glibc
#endif

/// Appending lines to a journal several processes share: one `write` with `O_APPEND` (so
/// two writers' lines never interleave), then `fsync`, before anything is shown as saved.
public enum JournalFile {
    /// nil on success, else why the lines are not saved.
    public static func append(_ lines: [String], to path: String) -> String? {
        guard !lines.isEmpty else { return nil }
        if let slash = path.lastIndex(of: "/") { FileLog.makeDirectories(String(path[..<slash])) }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return "cannot open \(path): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            // A partial line (disk full) is skipped and reported at the next load; cutting it
            // off here could cut another writer's line instead.
            return "cannot write \(path): \(written < 0 ? String(cString: strerror(errno)) : "short write")"
        }
        guard fsync(fd) == 0 else { return "cannot sync \(path): \(String(cString: strerror(errno)))" }
        return nil
    }
}
