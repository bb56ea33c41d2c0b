import WatchbillCore

/// Parsers for `/proc/PID/*`: bytes in, fields out.
public enum ProcessParsers {
    /// The fields of `/proc/PID/stat` that the process table needs.
    public struct Stat: Equatable, Sendable {
        public var pid: Int32
        public var name: String
        public var state: Character
        public var parentPID: Int32
        public var flags: UInt64
        public var cpuTicks: UInt64
        public var threads: Int
        public var startTicks: UInt64
        public var residentPages: UInt64

        /// PF_KTHREAD in the task flags.
        public var isKernelThread: Bool { flags & 0x0020_0000 != 0 }
    }

    /// `/proc/PID/stat`. The name sits in parentheses and may itself hold spaces and
    /// parentheses, so fields are counted from the last `)`.
    public static func stat(_ bytes: [UInt8], file: String = "/proc/PID/stat") throws -> Stat {
        guard let open = bytes.firstIndex(of: 0x28), let close = bytes.lastIndex(of: 0x29), open < close else {
            throw SourceError(file: file, line: 1, cause: "no (name)")
        }
        var head = ByteScanner(bytes)
        guard let pid = head.uint().flatMap({ Int32(exactly: $0) }), head.position <= open else {
            throw SourceError(file: file, line: 1, cause: "no pid")
        }
        let name = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
        var s = ByteScanner(bytes, position: close + 1)
        guard let stateField = s.field(), let stateByte = bytes[stateField].first else {
            throw SourceError(file: file, line: 1, cause: "no state")
        }
        // Fields 4 onwards (1-based, as in proc(5)); field 3 was the state. Parsed in place:
        // this runs for every process every refresh.
        var fields: [UInt64] = []
        fields.reserveCapacity(22)
        while fields.count < 22 {
            s.skipSpaces()
            if s.atLineEnd { break }
            // Some fields (tty, priority, nice) can be negative; only their presence matters here.
            if bytes[s.position] == 0x2D {
                _ = s.field()
                fields.append(0)
                continue
            }
            guard let v = s.uint() else { throw SourceError(file: file, line: 1, cause: "non-numeric field") }
            fields.append(v)
        }
        guard fields.count >= 21 else {
            throw SourceError(file: file, line: 1, cause: "\(fields.count + 3) fields, need 24")
        }
        func at(_ n: Int) -> UInt64 { fields[n - 4] }
        return Stat(pid: pid, name: name, state: Character(Unicode.Scalar(stateByte)),
                    parentPID: Int32(truncatingIfNeeded: at(4)), flags: at(9),
                    cpuTicks: at(14) &+ at(15), threads: Int(truncatingIfNeeded: at(20)),
                    startTicks: at(22), residentPages: at(24))
    }

    /// `/proc/PID/io`: the `read_bytes` and `write_bytes` lines (storage, not the page cache).
    public static func io(_ bytes: [UInt8]) -> (read: UInt64, written: UInt64)? {
        var s = ByteScanner(bytes)
        var read: UInt64?, written: UInt64?
        repeat {
            if s.hasPrefix("read_bytes:") { s.skip(11); read = s.uint() }
            else if s.hasPrefix("write_bytes:") { s.skip(12); written = s.uint() }
        } while s.nextLine()
        guard let read, let written else { return nil }
        return (read, written)
    }

    /// `/proc/PID/cmdline`: NUL-separated arguments, shown joined by spaces. Bytes that are
    /// not UTF-8 become U+FFFD rather than dropping the line.
    public static func commandLine(_ bytes: [UInt8]) -> String {
        var b = bytes
        while b.last == 0 { b.removeLast() }
        for i in b.indices where b[i] == 0 || b[i] == 0x0A || b[i] == 0x09 { b[i] = 0x20 }
        return String(decoding: b, as: UTF8.self)
    }

    /// `/proc/PID/cgroup`: the v2 line (`0::/path`) when there is one, else the v1 systemd
    /// (`name=systemd`) or cpu hierarchy's path.
    public static func cgroup(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        var v1: String?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0" && parts[1].isEmpty { return String(parts[2]) }
            if parts[1] == "name=systemd" || (v1 == nil && parts[1].split(separator: ",").contains("cpu")) {
                v1 = String(parts[2])
            }
        }
        return v1 ?? ""
    }

    /// A cgroup path as a person would name it: the systemd unit, the container, the pod.
    public static func unitName(cgroup path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        guard let last = parts.last else { return "" }
        func short(_ id: Substring) -> String { String(id.prefix(12)) }
        // Docker: docker-<id>.scope (systemd driver) or /docker/<id> (cgroupfs driver).
        if last.hasPrefix("docker-") && last.hasSuffix(".scope") {
            return "docker:" + short(last.dropFirst(7).dropLast(6))
        }
        if let i = parts.lastIndex(of: "docker"), i + 1 < parts.count { return "docker:" + short(Substring(parts[i + 1])) }
        // containerd and CRI-O under kubepods: cri-containerd-<id>.scope, crio-<id>.scope.
        for prefix in ["cri-containerd-", "crio-", "libpod-"] where last.hasPrefix(prefix) && last.hasSuffix(".scope") {
            return String(prefix.dropLast()) + ":" + short(last.dropFirst(prefix.count).dropLast(6))
        }
        // Kubernetes without a recognised runtime scope: name the pod (…-pod<uid>.slice or pod<uid>).
        if path.contains("kubepods"), let pod = parts.last(where: { $0.contains("pod") && $0 != "kubepods" }),
           let uid = suffix(after: "pod", in: pod) {
            let id = uid.hasSuffix(".slice") ? String(uid.dropLast(6)) : uid
            return "k8s:pod" + String(id.prefix(12))
        }
        return last
    }

    private static func suffix(after marker: String, in text: String) -> String? {
        let t = Array(text), m = Array(marker)
        guard t.count >= m.count else { return nil }
        for start in stride(from: t.count - m.count, through: 0, by: -1) where Array(t[start..<(start + m.count)]) == m {
            return String(t[(start + m.count)...])
        }
        return nil
    }

    /// `/proc/PID/status`: the real uid (first number of the `Uid:` line).
    public static func uid(fromStatus bytes: [UInt8]) -> UInt32? {
        var s = ByteScanner(bytes)
        repeat {
            if s.hasPrefix("Uid:") {
                s.skip(4)
                return s.uint().flatMap { UInt32(exactly: $0) }
            }
        } while s.nextLine()
        return nil
    }

    /// `/etc/passwd` as uid to name.
    public static func passwd(_ bytes: [UInt8]) -> [UInt32: String] {
        var users: [UInt32: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let f = line.split(separator: ":", omittingEmptySubsequences: false)
            if f.count >= 3, let uid = UInt32(f[2]) { users[uid] = String(f[0]) }
        }
        return users
    }
}
