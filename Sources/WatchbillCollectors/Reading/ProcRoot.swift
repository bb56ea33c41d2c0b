#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `/proc` and `/sys` live: `/` on a host, a fixture tree in tests.
public struct ProcRoot: Sendable {
    public let path: String

    public init(_ path: String = "/") {
        self.path = path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public func resolve(_ relative: String) -> String { path + relative }

    /// The whole file (or its first `limit` bytes), or nil when it does not exist or cannot
    /// be read.
    /// `/proc` files report size 0, so this reads until EOF instead of trusting stat.
    public func read(_ relative: String, limit: Int = Int.max) -> [UInt8]? {
        let fd = open(resolve(relative), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        // A stack buffer: this runs for every file of every process each refresh, and a
        // heap chunk per read showed up as a third of the scan's cost.
        let ok = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk -> Bool in
            while out.count < limit {
                let room = min(chunk.count, limit - out.count)
                let n = Glibc.read(fd, chunk.baseAddress, room)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                if n == 0 { break }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<n]))
            }
            return true
        }
        return ok ? out : nil
    }

    public func exists(_ relative: String) -> Bool {
        access(resolve(relative), F_OK) == 0
    }

    /// Names in a directory, or nil when it is missing.
    public func list(_ relative: String) -> [String]? {
        guard let dir = opendir(resolve(relative)) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
