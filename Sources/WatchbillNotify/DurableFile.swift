#if canImport(Glibc)
import Glibc
#endif

/// A file operation that failed, with errno's text: what an operator needs to fix a full
/// disk or a wrong permission.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32

    public var description: String { "\(path): \(operation) failed: \(String(cString: strerror(code)))" }
}

/// The few POSIX calls the intent log needs, each checked, with EINTR and short writes
/// handled where they happen.
enum DurableFile {
    static func readAll(_ path: String) throws(FileError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw FileError(path: path, operation: "open", code: errno)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "read", code: errno)
            }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    static func openForAppend(_ path: String) throws(FileError) -> Int32 {
        // 0600: bodies carry alert labels and annotations, which can name internal hosts.
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if fd < 0 { throw FileError(path: path, operation: "open", code: errno) }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "write", code: errno)
            }
            offset += n
        }
    }

    static func sync(_ fd: Int32, path: String) throws(FileError) {
        if fsync(fd) != 0 { throw FileError(path: path, operation: "fsync", code: errno) }
    }

    /// Replaces `path` with `bytes` so that a crash leaves either the old file or the new
    /// one: write a sibling, fsync it, rename over, fsync the directory (the rename itself
    /// is only durable once the directory entry is).
    static func replace(_ path: String, with bytes: [UInt8]) throws(FileError) {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw FileError(path: tmp, operation: "open", code: errno) }
        do {
            try writeAll(fd, bytes, path: tmp)
            try sync(fd, path: tmp)
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        close(fd)
        if rename(tmp, path) != 0 {
            let code = errno
            unlink(tmp)
            throw FileError(path: path, operation: "rename", code: code)
        }
        let dir = directory(of: path)
        let dirFD = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD < 0 { throw FileError(path: dir, operation: "open", code: errno) }
        defer { close(dirFD) }
        try sync(dirFD, path: dir)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
