import Foundation
import Testing

/// `Tests/WatchbillProbesTests/Server/probe_server.py` for these tests: an HTTP server on
/// loopback with `/delay/<ms>`, `/status/<code>` and `/body/<text>`.
final class ProbeServer {
    let port: Int
    private let pipe: UnsafeMutablePointer<FILE>

    init() throws {
        let script = TmuxSession.packageRoot.appendingPathComponent("Tests/WatchbillProbesTests/Server/probe_server.py").path
        pipe = try #require(popen("exec python3 '\(script)'", "r"))
        var line = [CChar](repeating: 0, count: 1024)
        try #require(fgets(&line, Int32(line.count), pipe) != nil, "the probe test server did not start (python3, openssl)")
        let words = String(cString: line).split(separator: " ")
        port = try #require(Int(words[1]))
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
}

/// Runs a program to completion and keeps stdout and stderr. Output goes to files, not
/// pipes: a helper another test starts at the same moment (the probe server, through popen)
/// would inherit a pipe's write end and keep it open, and reading to its end would hang.
func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws
    -> (status: Int32, out: String, err: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-run-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    p.standardOutput = try FileHandle(forWritingTo: outURL)
    p.standardError = try FileHandle(forWritingTo: errURL)
    try p.run()
    p.waitUntilExit()
    let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return (p.terminationStatus, out, err)
}

func runWatchbill(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    let bin = try #require(TmuxSession.binary, "build watchbill first (swift build)")
    return try runProgram(bin, arguments, environment: environment)
}

@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; end-to-end tests need it"))
struct ProbesEndToEndTests {
    static let secret = "wb-e2e-secret-7f3a9"

    func writeConfig(_ dir: URL, _ text: String) throws {
        let d = dir.appendingPathComponent("watchbill")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        try text.write(to: d.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
    }

    @Test func latencyAndSLOPanesDetailsAndNoSecretInTheLog() throws {
        let server = try ProbeServer()
        let config = """
            probes:
              - name: api
                http:
                  url: \(server.url("/delay/30"))
                  headers: {Authorization: "Bearer ${API_TOKEN}"}
                interval: 1s
              - name: broken
                http: {url: "\(server.url("/status/500"))"}
                interval: 1s
            slo: {min_probes: 2}
            """
        let s = try TmuxSession.started(width: 120, height: 40, environment: ["API_TOKEN": Self.secret],
                                        before: { try writeConfig($0, config) })
        let panes = s.waitFor { screen in
            screen.contains("Latency") && screen.contains("SLO")
                && screen.split(separator: "\n").contains { $0.contains("api") && $0.contains("UP") && $0.contains("ms") }
                && screen.split(separator: "\n").contains { $0.contains("broken") && $0.contains("HTTP 500") }
        }
        #expect(panes.ok, "no Latency rows for api (UP) and broken (HTTP 500):\n\(panes.screen)")
        // NO DATA until two probes have run, then a target failing every probe is in breach.
        let breached = s.waitFor { $0.split(separator: "\n").contains { $0.contains("broken") && $0.contains("BREACHED") } }
        #expect(breached.ok, "a target failing every probe must breach its SLO:\n\(breached.screen)")
        // Focus the Latency pane (CPU, then Disk, then Latency), then open the first target.
        try s.send("j")
        try s.send("j")
        try s.send("Enter")
        let detail = s.waitFor { $0.contains("first byte") && $0.contains("recent failures") && $0.contains("api") }
        #expect(detail.ok, "no target details after Enter:\n\(detail.screen)")
        try s.send("Down")
        let broken = s.waitFor { $0.contains("http-status") && $0.contains("HTTP 500, expected 200-399") }
        #expect(broken.ok, "the broken target's failures are not listed:\n\(broken.screen)")
        try s.send("Escape")
        #expect(s.waitFor { $0.contains("CPU") && $0.contains("Memory") }.ok)
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        let log = s.file("watchbill/watchbill.log") ?? ""
        #expect(log.contains("probe broken down: http-status"), "no down transition in the log:\n\(log)")
        #expect(!log.contains(Self.secret), "the header's secret reached the log")
        #expect(!panes.screen.contains(Self.secret) && !detail.screen.contains(Self.secret))
        #expect(FileManager.default.fileExists(atPath: s.work.appendingPathComponent("watchbill/slo-counts.bin").path),
                "SLO counts were not saved at exit")
    }

    @Test func probeFlagWorksWithoutAConfigFile() throws {
        let server = try ProbeServer()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("wb-e2e-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: home) }
        let env = ["XDG_CONFIG_HOME": home.path, "XDG_STATE_HOME": home.path]
        let text = try runWatchbill(["--once", "--interval", "0.25", "--probe", server.url("/delay/80")], environment: env)
        #expect(text.status == 0)
        let line = try #require(text.out.split(separator: "\n").first { $0.contains("/delay/80") })
        #expect(line.contains("UP") && line.contains("HTTP 200") && line.contains("first byte"))
        let json = try runWatchbill(["--format", "json", "--interval", "0.25", "--probe", server.url("/status/503")],
                                    environment: env)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let probe = try #require((obj["probes"] as? [[String: Any]])?.first)
        let last = try #require(probe["last"] as? [String: Any])
        #expect(last["error"] as? String == "http-status")
        #expect(last["http_status"] as? Int == 503)
        #expect(probe["up"] as? Bool == false)
    }

    @Test func aConfigErrorNamesLineAndColumnAndNothingStarts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-cfg-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml")
        try "probes:\n  - name: api\n    http: {url: \"http://127.0.0.1:1/\"}\n    interval: soon\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let check = try runWatchbill(["config", "check", "--config", file.path])
        #expect(check.status == 2)
        #expect(check.err.contains("bad.yaml:4:15:"), "no file:line:column in \(check.err)")
        let start = try runWatchbill(["--once", "--config", file.path])
        #expect(start.status == 2)
        #expect(start.out.isEmpty, "something ran despite the broken config")
        try "probes:\n  - name: api\n    http: {url: \"http://127.0.0.1:1/\"}\n".write(to: file, atomically: true, encoding: .utf8)
        let ok = try runWatchbill(["config", "check", "--config", file.path])
        #expect(ok.status == 0 && ok.out.contains("OK, 1 probe"))
    }

    @Test func sloCountsSurviveARestart() throws {
        let server = try ProbeServer()
        let config = "probes:\n  - name: api\n    http: {url: \"\(server.url("/delay/5"))\"}\n    interval: 1s\n"
        let s = try TmuxSession.started(width: 120, height: 40, before: { try writeConfig($0, config) })
        #expect(s.waitFor { $0.contains("api") && $0.contains("UP") }.ok)
        sleep(4)
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        // A snapshot afterwards counts the dashboard's probes in the SLO, plus its own.
        let env = ["XDG_CONFIG_HOME": s.work.path, "XDG_STATE_HOME": s.work.path]
        let json = try runWatchbill(["--format", "json", "--interval", "0.25"], environment: env)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let probe = try #require((obj["probes"] as? [[String: Any]])?.first)
        let slo = try #require(probe["slo"] as? [String: Any])
        #expect((slo["probes"] as? Int ?? 0) >= 5, "SLO counts were not restored: \(slo)")
    }
}

@Suite struct RulesCheckEndToEndTests {
    @Test func rulesCheckValidatesAndExitsNonZeroOnErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-rules-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.yml"), bad = dir.appendingPathComponent("bad.yml")
        try """
            groups:
              - name: host
                rules:
                  - alert: DiskAlmostFull
                    expr: predict_linear(node_filesystem_avail_bytes[1h], 4 * 3600) < 0
                    for: 10m
                    labels: {severity: P1}
            """.write(to: good, atomically: true, encoding: .utf8)
        try "groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: rate(up)\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let ok = try runWatchbill(["rules", "check", good.path])
        #expect(ok.status == 0)
        #expect(ok.out.contains("good.yml: OK, 1 group, 1 rule"))
        #expect(ok.err.contains("good.yml:4: rule DiskAlmostFull has no runbook_url annotation"))
        let failed = try runWatchbill(["rules", "check", good.path, bad.path])
        #expect(failed.status == 1)
        #expect(failed.err.contains("bad.yml:5:15: in X: expected type range vector in call to function 'rate', got instant vector"), "\(failed.err)")
    }
}
