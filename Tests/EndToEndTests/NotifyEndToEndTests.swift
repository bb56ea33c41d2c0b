import Foundation
import Testing

let alertmanagerPath = "/usr/bin/prometheus-alertmanager"

/// Debian's Alertmanager on a loopback port, for as long as the value lives. It runs in a
/// private tmux server of its own (a shell started in the background would keep the
/// launcher's pipes open, and Foundation's Process would wait on them for ever), and is
/// ended with SIGKILL: it takes the server's SIGHUP as "reload the config".
final class LoopbackAlertmanager {
    let port: Int
    let dir: URL
    private let session: TmuxSession

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-am-e2e-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "route: {receiver: none}\nreceivers: [{name: none}]\n"
            .write(to: dir.appendingPathComponent("am.yml"), atomically: true, encoding: .utf8)
        let free = try runProgram("/usr/bin/python3", ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        port = Int(free.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        session = try TmuxSession.shell()
        let d = dir.path
        try session.sendLiteral("echo $$ > \(d)/pid; exec \(alertmanagerPath) --config.file=\(d)/am.yml --storage.path=\(d) "
            + "--web.listen-address=127.0.0.1:\(port) --cluster.listen-address= > \(d)/log 2>&1")
        try session.send("Enter")
        for _ in 0..<100 where get("/-/ready") == nil { usleep(100_000) }
    }

    deinit {
        let pid = (try? String(contentsOf: dir.appendingPathComponent("pid"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let pid, pid > 1 { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: dir)
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The body of a GET on loopback, or nil (python3: no curl binary is assumed).
    func get(_ path: String) -> String? {
        let script = "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('\(url)\(path)', timeout=2).read().decode())"
        guard let r = try? runProgram("/usr/bin/python3", ["-c", script]), r.status == 0 else { return nil }
        return r.out
    }

    func waitFor(_ path: String, seconds: Double = 15, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let body = get(path), predicate(body) { return body }
            usleep(200_000)
        }
        return nil
    }
}

/// The dashboard hands its alerts to a real Alertmanager and mirrors a silence made in
/// the Alerts pane into it, with the token from the environment and never in the log.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; end-to-end tests need it"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: alertmanagerPath),
                "\(alertmanagerPath) is missing (Debian: prometheus-alertmanager)"))
struct NotifyEndToEndTests {
    static let token = "wb-am-token-5c1d"

    @Test func alertsAndSilencesReachAlertmanager() throws {
        let am = try LoopbackAlertmanager()
        #expect(am.get("/-/ready") != nil, "alertmanager did not start: \((try? String(contentsOf: am.dir.appendingPathComponent("log"), encoding: .utf8)) ?? "")")
        let test = try TestHome("notify-e2e", hostUp: "P2", summary: "load {{ $value }}")
        defer { test.remove() }
        let home = test.dir
        try """
            notify:
              external_url: http://watchbill.test/
              alertmanager:
                url: \(am.url)
                token: ${AM_TOKEN}
            """.write(to: home.appendingPathComponent("watchbill/config.yaml"), atomically: true, encoding: .utf8)
        let env = ["XDG_STATE_HOME": home.path, "XDG_CONFIG_HOME": home.path, "USER": "oncall", "AM_TOKEN": Self.token]
        let s = try TmuxSession.started(width: 100, height: 30, environment: env)

        let alerts = am.waitFor("/api/v2/alerts") { $0.contains("\"alertname\":\"HostUp\"") }
        #expect(alerts != nil, "HostUp never reached Alertmanager:\n\(s.file("watchbill/watchbill.log") ?? "")")
        #expect(alerts?.contains("\"generatorURL\":\"http://watchbill.test/\"") == true, "\(alerts ?? "")")
        #expect(alerts?.contains("\"summary\":\"load ") == true, "annotations not rendered: \(alerts ?? "")")

        try s.send("A")
        try s.send("s")
        try s.sendLiteral("silenced from watchbill")
        try s.send("Enter")
        let silences = am.waitFor("/api/v2/silences") { $0.contains("silenced from watchbill") }
        #expect(silences?.contains("\"createdBy\":\"oncall\"") == true, "\(silences ?? "nothing")")
        #expect(silences?.contains("\"name\":\"alertname\",\"value\":\"HostUp\"") == true
                    || silences?.contains("\"value\":\"HostUp\"") == true, "\(silences ?? "")")
        // Expired here, expired there: Alertmanager's copy follows (by the ID it gave).
        let actions = home.appendingPathComponent("watchbill/alert-actions.log")
        #expect(s.waitFor { _ in ((try? String(contentsOf: actions, encoding: .utf8)) ?? "").contains("mirror ") }.ok,
                "Alertmanager's silence ID was not journaled")
        try s.send("S")
        #expect(s.waitFor { $0.contains("Silences") && $0.contains("silenced from watch") }.ok)
        try s.send("e")
        // The question first, then the answer: under a loaded run the list may draw late.
        #expect(s.waitFor { $0.contains("y to expire") }.ok, "\(s.screen())")
        try s.send("y")
        let expired = am.waitFor("/api/v2/silences", seconds: 30) { $0.contains("\"state\":\"expired\"") }
        #expect(expired != nil, "the silence is still active in Alertmanager")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
        let log = (try? String(contentsOf: home.appendingPathComponent("watchbill/watchbill.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("notify: alertmanager alertmanager"), "\(log)")
        #expect(!log.contains(Self.token), "the token reached the log")
        // Every notification journaled before it was sent was also marked done.
        let intents = (try? String(contentsOf: home.appendingPathComponent("watchbill/notify-intents.log"), encoding: .utf8)) ?? ""
        let sent = intents.split(separator: "\n").filter { $0.hasPrefix("intent ") }.count
        let done = intents.split(separator: "\n").filter { $0.hasPrefix("done ") }.count
        #expect(sent > 0 && done == sent, "\(sent) intents, \(done) done")
    }

    /// The drill's restart: a rule empty until its window fills (a rate over a minute)
    /// fires, the dashboard quits and starts again. Nothing pages again as new: Alertmanager
    /// keeps the one alert with its first start, never told it resolved, and the log has no
    /// `firing -> resolved` nor a new `pending` for it.
    @Test func aRestartMidFireSendsNothingNew() throws {
        let am = try LoopbackAlertmanager()
        #expect(am.get("/-/ready") != nil, "alertmanager did not start")
        let test = try TestHome("restart-mid-fire")
        defer { test.remove() }
        let home = test.dir
        try """
            groups:
              - name: cpu
                interval: 1s
                rules:
                  - alert: CPUCounted
                    expr: sum(rate(node_cpu_seconds_total{mode="idle"}[1m])) >= 0
                    for: 3s
                    labels: {severity: P2}
            """.write(to: home.appendingPathComponent("watchbill/rules/cpu.yml"), atomically: true, encoding: .utf8)
        try "notify:\n  alertmanager:\n    url: \(am.url)\n"
            .write(to: home.appendingPathComponent("watchbill/config.yaml"), atomically: true, encoding: .utf8)
        func startsAt(_ body: String?) -> [String] {
            guard let data = body?.data(using: .utf8),
                  let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
            return list.filter { ($0["labels"] as? [String: String])?["alertname"] == "CPUCounted" }.compactMap { $0["startsAt"] as? String }
        }
        let first = try TmuxSession.started(width: 100, height: 30, arguments: "--interval 0.5", environment: test.env)
        let before = am.waitFor("/api/v2/alerts", seconds: 30) { !startsAt($0).isEmpty }
        let start = startsAt(before)
        #expect(start.count == 1, "CPUCounted never reached Alertmanager:\n\(first.file("watchbill/watchbill.log") ?? "")")
        try first.send("q")
        #expect(first.waitForFile("exit") == "0")
        let logBefore = test.file("watchbill/watchbill.log")

        let second = try TmuxSession.started(width: 100, height: 30, arguments: "--interval 0.5", environment: test.env)
        #expect(second.waitFor { $0.contains("CPUCounted") }.ok, "the restored alert is not on screen:\n\(second.screen())")
        // Past the rule's first evaluations (its window is still filling) and a resend.
        usleep(8_000_000)
        let after = am.get("/api/v2/alerts")
        #expect(startsAt(after) == start, "Alertmanager was told of a new CPUCounted: \(after ?? "")")
        #expect(after?.contains("\"state\":\"active\"") == true, "\(after ?? "")")
        try second.send("q")
        #expect(second.waitForFile("exit") == "0")
        let restart = String(test.file("watchbill/watchbill.log").dropFirst(logBefore.count))
        #expect(restart.contains("saved alerts restored"), "\(restart)")
        // The series came back too: the flight recorder's samples refill the store.
        #expect(restart.contains(" samples (") && restart.contains("taken back"), "\(restart)")
        #expect(!restart.contains("CPUCounted firing -> resolved") && !restart.contains("CPUCounted inactive -> pending"),
                "the restart re-paged:\n\(restart)")
    }
}
