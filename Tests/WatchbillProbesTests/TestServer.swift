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
