import Foundation
import LoopbackServers
import Testing

/// `watchbill agent` out of file descriptors: run with `ulimit -n 64` and held open by more
/// connections than it may have, it keeps running, says so once in its log, and answers a
/// scrape; it stops only when told to.
@Suite(.serialized, .enabled(if: TmuxSession.binary != nil, "build watchbill first (swift build)"))
struct AgentLimitsEndToEndTests {
    /// Holds `crowd` connections open, then scrapes /metrics on a new one: prints how many
    /// connections opened and the scrape's status line (or the error).
    static let crowdScript = """
        import socket, sys, time
        port, crowd = int(sys.argv[1]), int(sys.argv[2])
        held = []
        for _ in range(crowd):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=2); held.append(s)
            except OSError:
                pass
        time.sleep(0.5)
        print(len(held))
        status = "none"
        for attempt in range(20):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=3)
                s.sendall(b"GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n")
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk: break
                    data += chunk
                status = data.split(b"\\r\\n", 1)[0].decode()
                if status.startswith("HTTP/1.1 200"): break
            except OSError as e:
                status = str(e)
            time.sleep(0.2)
        print(status)
        """

    @Test func outOfDescriptorsItGoesOnServing() throws {
        let home = try TestHome("agent-emfile")
        defer { home.remove() }
        let port = unusedLoopbackPort()
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: "/bin/sh")
        agent.arguments = ["-c", "ulimit -n 64 && exec \"$0\" agent --listen 127.0.0.1:\(port)", TmuxSession.binary!]
        agent.environment = ProcessInfo.processInfo.environment.merging(home.env) { $1 }
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        defer { if agent.isRunning { agent.terminate() }; agent.waitUntilExit() }
        // Until it listens.
        for _ in 0..<50 where !home.file("watchbill/watchbill.log").contains("agent start") { Thread.sleep(forTimeInterval: 0.1) }
        Thread.sleep(forTimeInterval: 0.5)
        let r = try runProgram("/usr/bin/env", ["python3", "-c", Self.crowdScript, "\(port)", "120"])
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && (Int(lines[0]) ?? 0) > 60, "\(r.out)\(r.err)")
        #expect(lines.last?.hasPrefix("HTTP/1.1 200") == true, "the scrape: \(r.out)\(r.err)")
        #expect(agent.isRunning, "the agent stopped")
        let log = home.file("watchbill/watchbill.log")
        #expect(log.components(separatedBy: "cannot accept a connection: Too many open files").count == 2, "\(log)")
        #expect(!log.contains("agent stop"), "\(log)")
        agent.terminate()
        agent.waitUntilExit()
        #expect(agent.terminationStatus == 0 && home.file("watchbill/watchbill.log").contains("agent stop: signal 15"))
    }
}
