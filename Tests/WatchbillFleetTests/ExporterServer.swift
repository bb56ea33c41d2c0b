import Foundation
import Testing

/// `Server/exporter_server.py`: loopback exporters serving the node_exporter fixture with
/// moving counters, and the failures a fleet meets (hang, 500, half a body, garbage, auth).
final class ExporterServer: @unchecked Sendable {
    let ports: [Int]
    /// The TLS port and its self-signed certificate (for localhost and 127.0.0.1).
    let tlsPort: Int?
    let certificate: String?

    static let shared: ExporterServer? = try? ExporterServer(count: 3)

    init(count: Int) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Server/exporter_server.py").path
        // exec, so the server's parent is this process and it exits with it.
        guard let pipe = popen("exec python3 '\(script)' \(count) --tls", "r") else { throw CocoaError(.fileNoSuchFile) }
        var line = [CChar](repeating: 0, count: 4096)
        guard fgets(&line, Int32(line.count), pipe) != nil else { throw CocoaError(.fileReadUnknown) }
        let words = String(cString: line).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard words.first == "PORTS" else { throw CocoaError(.fileReadCorruptFile) }
        ports = words.dropFirst().prefix { $0 != "TLS" }.compactMap { Int($0) }
        tlsPort = words.firstIndex(of: "TLS").flatMap { Int(words[$0 + 1]) }
        certificate = words.firstIndex(of: "CERT").map { words[$0 + 1] }
    }

    func url(_ path: String, _ n: Int = 0) -> String { "http://127.0.0.1:\(ports[n])\(path)" }
}

/// A loopback port nobody listens on: bound, then closed.
func closedPort() -> Int {
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
