#if canImport(Glibc)
import Glibc
#endif

/// A file a person names (a theme, keys.yaml, the config, a rule file, a token file), read
/// whole but bounded: a FIFO, a device or a directory is refused without blocking (a FIFO
/// would wait for a writer before the first frame, `/dev/zero` would never end), and a file
/// past `limit` is refused rather than read into memory.
public enum UserFile {
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    public static func read(_ path: String, limit: Int) -> Result<[UInt8], Problem> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Problem(description: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(Problem(description: String(cString: strerror(errno)))) }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            let what = kind == S_IFDIR ? "a directory" : kind == S_IFIFO ? "a FIFO" : kind == S_IFCHR || kind == S_IFBLK ? "a device" : "not a regular file"
            return .failure(Problem(description: "\(what), not a file to read"))
        }
        guard Int(info.st_size) <= limit else { return .failure(Problem(description: "larger than \(describe(limit))")) }
        var out: [UInt8] = []
        out.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Problem(description: String(cString: strerror(errno))))
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            // A file that grows while read is held to the same bound.
            if out.count > limit { return .failure(Problem(description: "larger than \(describe(limit))")) }
        }
        return .success(out)
    }

    /// The file as text, or `path: cannot read: why`.
    public static func text(_ path: String, limit: Int) throws(Problem) -> String {
        switch read(path, limit: limit) {
        case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .failure(let why): throw Problem(description: "\(path): cannot read: \(why)")
        }
    }

    static func describe(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : bytes >= 1 << 10 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }
}
