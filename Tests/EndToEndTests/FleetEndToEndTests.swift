import Foundation
import LoopbackServers
import Testing

/// `--node` against Debian's real node_exporter on loopback, beside a target that hangs and
/// one that refuses: the fleet table, the dead ones shown DOWN within their timeout while
/// the screen keeps answering, and a host's dashboard opened and closed.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil && nodeExporterPath != nil,
                             "tmux and prometheus-node-exporter are needed"))
struct FleetEndToEndTests {

    /// This machine's name as node_exporter reports it (uname's nodename).
    static func nodename() -> String {
        var u = utsname()
        uname(&u)
        return withUnsafeBytes(of: &u.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    @Test func scrapeARealNodeExporterBesideDeadTargets() throws {
        let port = unusedLoopbackPort()
        let exporter = Process()
        exporter.executableURL = URL(fileURLWithPath: nodeExporterPath!)
        exporter.arguments = ["--web.listen-address=127.0.0.1:\(port)"]
        exporter.standardOutput = FileHandle.nullDevice
        exporter.standardError = FileHandle.nullDevice
        try exporter.run()
        defer { exporter.terminate(); exporter.waitUntilExit() }
        let hanging = try ProbeServer()
        let home = try TestHome("fleet")
        defer { home.remove() }
        let name = Self.nodename()
        let s = try TmuxSession.started(
            width: 130, height: 30,
            arguments: "--scrape-interval 1 --node 127.0.0.1:\(port) --node \(hanging.url("/hang")) --node 127.0.0.1:\(unusedLoopbackPort())",
            environment: home.env)
        var r = s.waitFor(seconds: 15) { screen in
            screen.contains("fleet of 3") && screen.contains("1 up, 2 down")
                && screen.split(separator: "\n").contains { $0.contains("│\(name) ") && $0.contains(" UP ") && $0.contains("%") }
        }
        #expect(r.ok, "no fleet table with \(name) up and two down:\n\(r.screen)")
        // The hanging target costs its timeout on the scrape thread, never the keys.
        let t0 = Date()
        try s.send("/")
        try s.sendLiteral(String(name.prefix(3)))
        r = s.waitFor(seconds: 3) { $0.contains("filter: \(name.prefix(3))") }
        #expect(r.ok && Date().timeIntervalSince(t0) < 1.5, "the filter took \(Date().timeIntervalSince(t0)) s:\n\(r.screen)")
        try s.send("Enter")
        try s.send("Home")
        try s.send("Enter")
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        r = s.waitFor(seconds: 10) { $0.contains("CPU \(cores) cores") && $0.contains("Memory") && $0.contains("Esc fleet") }
        #expect(r.ok, "the host's dashboard does not show its \(cores) cores:\n\(r.screen)")
        #expect(r.screen.split(separator: "\n").first?.contains(name) == true)
        try s.send("Escape")
        r = s.waitFor { $0.contains("fleet of 3") }
        #expect(r.ok, "Esc did not return to the fleet:\n\(r.screen)")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        let log = home.file("watchbill/watchbill.log")
        #expect(log.contains("fleet: 3 node_exporters every 1s") && log.contains("down: timeout") && log.contains("down: refused"), "\(log)")
    }

    /// A token from the environment reaches the exporter; without it, HTTP 401; never logged.
    @Test func bearerTokenFromTheEnvironment() throws {
        let exporters = try ExporterServerProcess()
        let home = try TestHome("fleet-auth")
        defer { home.remove() }
        var env = home.env
        env["WATCHBILL_NODE_TOKEN"] = "fleet-token-91f2"
        let s = try TmuxSession.started(
            width: 130, height: 20,
            arguments: "--scrape-interval 1 --node http://127.0.0.1:\(exporters.port)/auth/fleet-token-91f2 --node http://127.0.0.1:\(exporters.port)/auth/other",
            environment: env)
        let r = s.waitFor(seconds: 15) { $0.contains("1 up, 1 down") && $0.contains("host-\(exporters.port)") }
        #expect(r.ok, "\(r.screen)")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        let log = home.file("watchbill/watchbill.log")
        #expect(log.contains("down: HTTP 401") && !log.contains("fleet-token-91f2"), "\(log)")
    }

    /// A host that turns slow: STALE with its last figures and their age, not DOWN; the log
    /// says so once.
    @Test func aHostThatTurnsSlowIsStale() throws {
        let exporters = try ExporterServerProcess()
        let home = try TestHome("fleet-stale")
        defer { home.remove() }
        let s = try TmuxSession.started(
            width: 130, height: 20,
            arguments: "--scrape-interval 1 --node http://127.0.0.1:\(exporters.port)/slow-after/4 --node 127.0.0.1:\(exporters.port)",
            environment: home.env)
        var r = s.waitFor(seconds: 10) { $0.contains("2 up") }
        #expect(r.ok, "\(r.screen)")
        r = s.waitFor(seconds: 15) { screen in
            screen.contains("1 up, 1 stale") && screen.range(of: #"STALE +[0-9.]+% +[0-9.]+%"#, options: .regularExpression) != nil
                && screen.range(of: #"\(127\.0\.0\.1:[0-9]+\): STALE: timeout; figures from [0-9]+s ago"#, options: .regularExpression) != nil
        }
        #expect(r.ok, "the slow host is not STALE with its figures:\n\(r.screen)")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        let log = home.file("watchbill/watchbill.log")
        #expect(log.components(separatedBy: "stale: timeout").count == 2 && !log.contains("down: timeout"), "\(log)")
    }

    /// `--once` (or a pipe): the table once, as text or JSON; exit 2 when a host is down.
    @Test func fleetOnceForScripts() throws {
        let exporters = try ExporterServerProcess()
        let home = try TestHome("fleet-once")
        defer { home.remove() }
        let up = try runWatchbill(["--node", "127.0.0.1:\(exporters.port)", "--once"], environment: home.env)
        #expect(up.status == 0 && up.out.hasPrefix("host  host-\(exporters.port) (127.0.0.1:\(exporters.port))  UP  cpu "), "\(up)")
        let dead = unusedLoopbackPort()
        let mixed = try runWatchbill(["--node", "127.0.0.1:\(exporters.port)", "--node", "127.0.0.1:\(dead)", "--format", "json"],
                                     environment: home.env)
        #expect(mixed.status == 2, "\(mixed)")
        let json = try JSONSerialization.jsonObject(with: Data(mixed.out.utf8)) as? [String: Any]
        let hosts = json?["hosts"] as? [[String: Any]] ?? []
        #expect(hosts.count == 2 && hosts[0]["problem"] as? String == "refused" && hosts[1]["up"] as? Bool == true, "\(mixed.out)")
        #expect((hosts[1]["cpu_percent"] as? Double).map { $0 > 20 && $0 < 30 } == true, "the exporter runs at 25 % busy: \(mixed.out)")
        // The same fleet from the config's fleet section, no flags; --node adds to it.
        try home.write("watchbill/config.yaml", "fleet:\n  nodes: [127.0.0.1:\(exporters.port)]\n  every: 1s\n")
        let configured = try runWatchbill(["--once"], environment: home.env)
        #expect(configured.status == 0 && configured.out.contains("host-\(exporters.port)"), "\(configured)")
        let added = try runWatchbill(["--once", "--node", "127.0.0.1:\(dead)"], environment: home.env)
        #expect(added.status == 2 && added.out.split(separator: "\n").count == 2, "\(added)")
    }

    /// An https exporter with the team's own CA: refused (TLS is verified) until the CA file
    /// is given, by flag or in the config; credentials come from files the config names.
    @Test func tlsWithACAFileAndCredentialsFromTheConfig() throws {
        let exporters = try ExporterServerProcess(tls: true)
        let home = try TestHome("fleet-tls")
        defer { home.remove() }
        let port = try #require(exporters.tlsPort), cert = try #require(exporters.certificate)
        let target = "https://localhost:\(port)/auth/tls-token-77"
        let untrusted = try runWatchbill(["--node", target, "--once"], environment: home.env)
        #expect(untrusted.status == 2 && untrusted.out.contains("DOWN: TLS: ") && untrusted.out.contains("certificate"), "\(untrusted)")
        try home.write("token", "tls-token-77\n")
        let withFlag = try runWatchbill(["--node", target, "--ca-file", cert, "--node-token-file", home.dir.appendingPathComponent("token").path, "--once"],
                                        environment: home.env)
        #expect(withFlag.status == 0 && withFlag.out.contains("  UP  cpu "), "\(withFlag)")
        try home.write("watchbill/config.yaml", "fleet:\n  ca_file: \(cert)\n  token_file: \(home.dir.appendingPathComponent("token").path)\n")
        let fromConfig = try runWatchbill(["--node", target, "--once"], environment: home.env)
        #expect(fromConfig.status == 0 && fromConfig.out.contains("  UP  cpu "), "\(fromConfig)")
        // Flags, then the environment, then the config: the nearer to this run wins.
        try home.write("auth", "ops:pw\n")
        let flagWins = try runWatchbill(["--node", target, "--node-basic-auth-file", home.dir.appendingPathComponent("auth").path, "--once"],
                                        environment: home.env)
        #expect(flagWins.status == 2 && flagWins.out.contains("DOWN: HTTP 401"), "\(flagWins)")
        var env = home.env
        env["WATCHBILL_NODE_TOKEN"] = "stale-token"
        let envWins = try runWatchbill(["--node", target, "--once"], environment: env)
        #expect(envWins.status == 2 && envWins.out.contains("DOWN: HTTP 401"), "\(envWins)")
        let missing = try runWatchbill(["--node", target, "--ca-file", "/nonexistent/ca.pem", "--once"], environment: home.env)
        #expect(missing.status != 0 && missing.err.contains("--ca-file /nonexistent/ca.pem: cannot read"), "\(missing)")
        try home.write("watchbill/config.yaml", "fleet:\n  token: tls-token-77\n")
        let literal = try runWatchbill(["--node", target, "--once"], environment: home.env)
        #expect(literal.status != 0 && literal.err.contains("token does not belong in the config file") && !literal.err.contains("tls-token-77"),
                "\(literal)")
    }

    @Test func badTargetsAreRefusedAtStart() throws {
        let home = try TestHome("fleet-bad")
        defer { home.remove() }
        try home.write("targets.txt", "web-01:9100\nweb 02\n")
        let file = try runWatchbill(["--nodes-file", home.dir.appendingPathComponent("targets.txt").path], environment: home.env)
        #expect(file.status != 0 && file.err.contains("targets.txt:2: web 02 is not host:port or an http(s) URL"), "\(file)")
        let arg = try runWatchbill(["--node", "ftp://x"], environment: home.env)
        #expect(arg.status != 0 && arg.err.contains("--node ftp://x: use host:port"), "\(arg)")
        // Latency histograms with no Prometheus to read them from.
        try home.write("watchbill/config.yaml", "fleet:\n  latency:\n    - {name: api, histogram: http_request_duration_seconds}\n")
        let latency = try runWatchbill(["--node", "127.0.0.1:9", "--once"], environment: home.env)
        #expect(latency.status != 0 && latency.err.contains("fleet: latency is read from Prometheus"), "\(latency)")
    }
}

/// Debian's node_exporter, installed by `.ci/run`.
let nodeExporterPath: String? = ["/usr/bin/prometheus-node-exporter", "/usr/bin/node_exporter"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
