import Foundation

/// A loopback port nobody listens on (bound, then closed): a refused target, or a port for a
/// server a test starts.
public func unusedLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
            _ = bind(fd, p, len)
            _ = getsockname(fd, p, &len)
        }
    }
    close(fd)
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// `Tests/WatchbillFleetTests/Server/exporter_server.py` on loopback: `count` exporters
/// serving the node_exporter fixture with moving counters, and the failures a fleet meets
/// (hang, slow-after, 500, half a body, garbage, auth); with `tls`, one more port over TLS
/// with a fresh self-signed certificate for localhost and 127.0.0.1. It exits with the
/// process that started it.
public final class ExporterServerProcess: @unchecked Sendable {
    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    public let ports: [Int]
    public let tlsPort: Int?
    public let certificate: String?

    public init(count: Int = 1, tls: Bool = false) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../WatchbillFleetTests/Server/exporter_server.py").standardized.path
        // exec, so the server's parent is this process and it exits with it.
        guard let pipe = popen("exec python3 '\(script)' \(count)\(tls ? " --tls" : "")", "r") else {
            throw StartFailure(description: "cannot run python3 \(script)")
        }
        var line = [CChar](repeating: 0, count: 4096)
        guard fgets(&line, Int32(line.count), pipe) != nil else {
            throw StartFailure(description: "the exporter test server did not start (python3, and openssl for TLS)")
        }
        let words = String(cString: line).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard words.first == "PORTS" else { throw StartFailure(description: "the exporter test server said \(words)") }
        ports = words.dropFirst().prefix { $0 != "TLS" }.compactMap { Int($0) }
        tlsPort = words.firstIndex(of: "TLS").flatMap { Int(words[$0 + 1]) }
        certificate = words.firstIndex(of: "CERT").map { words[$0 + 1] }
    }

    /// The first port's URL unless told which.
    public var port: Int { ports[0] }
    public func url(_ path: String, _ n: Int = 0) -> String { "http://127.0.0.1:\(ports[n])\(path)" }
}
