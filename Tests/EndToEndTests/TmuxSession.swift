import Foundation
import Testing

/// The built `watchbill` binary, driven in a private tmux server the way a person would:
/// keys with send-keys, the screen read with capture-pane.
final class TmuxSession {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var tmuxPath: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var binary: String? {
        if let b = ProcessInfo.processInfo.environment["WATCHBILL_BINARY"] { return b }
        return [".build/debug/watchbill", ".build/release/watchbill"]
            .map { packageRoot.appendingPathComponent($0).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let socket = "watchbill-e2e-\(UUID().uuidString.prefix(8))"
    let work: URL

    /// Starts watchbill with `arguments` in a new detached session of the given size,
    /// inside a wrapper that records the tty settings before and after and the exit status.
    /// `before` runs with the session's config directory (XDG_CONFIG_HOME) before start.
    static func started(width: Int = 100, height: Int = 30, arguments: String = "",
                        environment: [String: String] = [:], before: (URL) throws -> Void = { _ in }) throws -> TmuxSession {
        try #require(binary != nil, "build watchbill first (swift build)")
        return try TmuxSession(width: width, height: height, arguments: arguments, environment: environment, before: before)
    }

    /// An interactive shell, for job control (Ctrl-Z, fg).
    static func shell(width: Int = 100, height: Int = 30) throws -> TmuxSession {
        try #require(binary != nil, "build watchbill first (swift build)")
        return try TmuxSession(width: width, height: height, arguments: "", environment: [:], shell: true)
    }

    private init(width: Int, height: Int, arguments: String, environment: [String: String], shell: Bool = false,
                 before: (URL) throws -> Void = { _ in }) throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try before(work)
        let conf = work.appendingPathComponent("tmux.conf")
        try "set -g status off\nset -g default-terminal tmux-256color\nset -g escape-time 0\n"
            .write(to: conf, atomically: true, encoding: .utf8)
        var env = ["LANG": "C.UTF-8", "XDG_STATE_HOME": work.path, "XDG_CONFIG_HOME": work.path, "HOME": work.path,
                   "PATH": "/usr/bin:/bin", "TERM": "tmux-256color"]
        env.merge(environment) { $1 }
        let script = work.appendingPathComponent("run.sh")
        let bin = TmuxSession.binary ?? "watchbill"
        let w = work.path
        try """
            #!/bin/sh
            # Ctrl-C reaches the whole foreground group: this wrapper must outlive it to
            # record the exit status (a handler, not an ignore, so watchbill gets the default).
            trap : INT
            stty -g > \(w)/before
            sh -c 'echo $$ > \(w)/pid; exec "$0" "$@"' \(bin) \(arguments)
            echo $? > \(w)/exit
            stty -g > \(w)/after
            sleep 30

            """.write(to: script, atomically: true, encoding: .utf8)
        let exports = env.map { "\($0.key)=\($0.value)" }.sorted()
        let program = shell ? ["/bin/bash", "--norc", "--noprofile", "-i"] : ["/bin/sh", script.path]
        try tmux(["-f", conf.path, "new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)",
                  "env", "-i"] + exports + program)
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: work)
    }

    /// Runs tmux on this session's socket. Through the shell rather than Foundation's
    /// Process: the tmux server that new-session forks keeps what it inherits, and
    /// Process's exit detection then waits for it forever.
    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let line = ([TmuxSession.tmuxPath ?? "tmux", "-L", socket] + args).map(TmuxSession.quote).joined(separator: " ")
        if args.contains("new-session") {
            let status = system(line + " </dev/null >/dev/null 2>&1")
            if status != 0 { throw TmuxError.failed(line, status) }
            return ""
        }
        guard let f = popen(line + " 2>/dev/null", "r") else { throw TmuxError.failed(line, -1) }
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        pclose(f)
        return String(decoding: out, as: UTF8.self)
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    enum TmuxError: Error { case failed(String, Int32) }

    func screen() -> String { (try? tmux(["capture-pane", "-p", "-t", "e2e"])) ?? "" }

    /// The screen with its SGR escape sequences, to see what colors were sent.
    func screenWithAttributes() -> String { (try? tmux(["capture-pane", "-p", "-e", "-t", "e2e"])) ?? "" }

    /// Whether any SGR sequence on screen sets a foreground or background color.
    static func hasColor(_ escaped: String) -> Bool {
        let colorParams: Set<Int> = Set(30...38).union(40...48).union(90...97).union(100...107)
        var rest = Substring(escaped)
        while let start = rest.range(of: "\u{1B}[") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "m") else { break }
            let params = rest[..<end].split(separator: ";").compactMap { Int($0) }
            if params.contains(where: colorParams.contains) { return true }
            rest = rest[end...]
        }
        return false
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", "e2e"] + keys) }

    /// Types text as it is (no key names), as a user would into a prompt.
    func sendLiteral(_ text: String) throws { try tmux(["send-keys", "-t", "e2e", "-l", text]) }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "e2e", "-x", "\(width)", "-y", "\(height)"])
    }

    /// The bytes the program writes to its terminal in the next `seconds`.
    func bytesWritten(during seconds: Double) throws -> Int {
        let out = work.appendingPathComponent("out-\(UUID().uuidString.prefix(8))")
        try tmux(["pipe-pane", "-o", "-t", "e2e", "cat >> '\(out.path)'"])
        usleep(UInt32(seconds * 1_000_000))
        try tmux(["pipe-pane", "-t", "e2e"])
        usleep(100_000)
        return ((try? FileManager.default.attributesOfItem(atPath: out.path)[.size]) as? Int) ?? 0
    }

    /// Polls the screen until `predicate` holds; returns the last screen and whether it held.
    func waitFor(seconds: Double = 10, _ predicate: (String) -> Bool) -> (screen: String, ok: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = screen()
            if predicate(last) { return (last, true) }
            usleep(20_000)
        }
        return (last, false)
    }

    func file(_ name: String) -> String? {
        try? String(contentsOf: work.appendingPathComponent(name), encoding: .utf8)
    }

    /// Waits for a file the wrapper writes when the program has ended.
    func waitForFile(_ name: String, seconds: Double = 10) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let s = file(name), !s.isEmpty { return s.trimmingCharacters(in: .whitespacesAndNewlines) }
            usleep(20_000)
        }
        return nil
    }

}
