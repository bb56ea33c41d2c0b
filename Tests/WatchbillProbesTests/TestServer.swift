import Foundation
import Testing

/// `Server/probe_server.py` on loopback: plain and TLS ports and the self-signed
/// certificate it made. One per test process; it exits when the test process does.
final class TestServer: @unchecked Sendable {
    let plain: Int
    let tls: Int
    let certificate: String

    static let shared: TestServer? = try? TestServer()

    private init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Server/probe_server.py").path
        // exec, so the server's parent is this process and it exits with it.
        guard let pipe = popen("exec python3 '\(script)'", "r") else { throw CocoaError(.fileNoSuchFile) }
        var line = [CChar](repeating: 0, count: 1024)
        guard fgets(&line, Int32(line.count), pipe) != nil else { throw CocoaError(.fileReadUnknown) }
        let words = String(cString: line).split(separator: " ").map(String.init)
        guard words.count >= 8, let p = Int(words[1]), let t = Int(words[3]) else { throw CocoaError(.fileReadCorruptFile) }
        plain = p
        tls = t
        certificate = words[5]
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(plain)\(path)" }
    func secureURL(_ path: String) -> String { "https://localhost:\(tls)\(path)" }
}

/// A loopback port nobody listens on: bound, then closed.
func closedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
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
