import Foundation
import LoopbackServers
import Testing
import WatchbillCore
@testable import WatchbillNotify
import WatchbillRules

let alertmanagerBinary = "/usr/bin/prometheus-alertmanager"

/// Debian's real Alertmanager on loopback, fed by the notifier: what it stores and shows
/// is the proof that our bodies are what it expects.
@Suite(.serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: alertmanagerBinary),
                "\(alertmanagerBinary) is not installed (Debian: prometheus-alertmanager)"),
       .enabled(if: EchoServer.shared != nil, "python3 could not start the loopback echo server"))
struct AlertmanagerTests {
    /// One Alertmanager with a webhook receiver pointing at the echo server.
    final class Running {
        let port: Int
        let process: ChildProcess
        let hookPrefix: String
        let dir: String

        init() throws {
            dir = try temporaryDirectory("wb-am")
            hookPrefix = "/am-\(UUID().uuidString.prefix(8))"
            let config = """
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
            - name: hook
              webhook_configs:
              - url: \(EchoServer.shared!.url(hookPrefix + "/hook"))
                send_resolved: true
            """
            try config.write(toFile: dir + "/am.yml", atomically: true, encoding: .utf8)
            port = unusedLoopbackPort()
            // `timeout` bounds its life even if this test process dies without stopping it.
            process = try ChildProcess(["/usr/bin/timeout", "120", alertmanagerBinary,
                                        "--config.file=\(dir)/am.yml", "--storage.path=\(dir)/data",
                                        "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address="],
                                       output: dir + "/alertmanager.log")
        }

        func stop() {
            process.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }

        func ready(within seconds: Double) -> Bool {
            eventually(timeout: seconds) { loopbackGet(port: port, path: "/-/ready", timeout: 1)?.status == 200 }
        }

        func get(_ path: String) throws -> Any {
            let response = try #require(loopbackGet(port: port, path: path))
            #expect(response.status == 200)
            return try json(response.body)
        }
    }

    @Test func alertsAndSilencesReachAlertmanager() throws {
        let am = try Running()
        defer { am.stop() }
        try #require(am.ready(within: 10), "Alertmanager did not become ready: \(am.process.output)")

        let rule = AlertRule(name: "WatchbillNotifyTest", expr: .number(1), labels: ["severity": "P2"],
                             annotations: ["summary": "{{ $labels.instance }} is down", "value": "{{ $value }}"])
        let active = ActiveAlert(labels: Labels(["alertname": "WatchbillNotifyTest", "instance": "host-1", "severity": "P2"]),
                                 phase: .firing, value: 3, activeAt: 0, firedAt: 0, lastSeen: 0)
        let now = Date().timeIntervalSince1970
        var sent = try #require(NotifyAlert.from(rule: rule, alert: active, evalInterval: 15, now: now,
                                                 generatorURL: "http://watchbill.local/alerts"))
        sent.startsAt = now - 30

        let dir = try temporaryDirectory("wb-am-notify")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = LogLines()
        let destinations = [
            Destination(kind: .alertmanager, name: "am", url: "http://127.0.0.1:\(am.port)", bearerToken: Secret("tok-AM-x")),
            Destination(kind: .webhook, name: "ours", url: EchoServer.shared!.url(am.hookPrefix + "/ours")),
        ]
        let notifier = Notifier(destinations: destinations, intentLog: try IntentLog(path: dir + "/intents.log", now: now),
                                transport: try HTTPPost(), log: { lines.append($0) })
        notifier.start()
        notifier.enqueue([sent], now: now)
        #expect(notifier.waitUntilIdle(timeout: 10))
        #expect(notifier.stop(timeout: 5))
        #expect(notifier.counters.sent == 2, "\(lines.all)")

        // Alertmanager stored it with our labels, annotations and fingerprint.
        let stored = try #require(try am.get("/api/v2/alerts") as? [[String: Any]])
        let ours = try #require(stored.first { ($0["labels"] as? [String: String])?["alertname"] == "WatchbillNotifyTest" })
        #expect(ours["labels"] as? [String: String] == ["alertname": "WatchbillNotifyTest", "instance": "host-1", "severity": "P2"])
        #expect(ours["annotations"] as? [String: String] == ["summary": "host-1 is down", "value": "3"])
        #expect(ours["fingerprint"] as? String == sent.fingerprint)
        #expect(ours["generatorURL"] as? String == "http://watchbill.local/alerts")
        #expect((ours["status"] as? [String: Any])?["state"] as? String == "active")
        #expect((ours["startsAt"] as? String)?.hasPrefix(String(RFC3339.format(sent.startsAt).prefix(19))) == true)

        // Alertmanager's own webhook and ours have the same shape, fingerprint and group key.
        let hooks = EchoServer.shared!
        #expect(eventually(timeout: 10) { !hooks.requests(under: am.hookPrefix + "/hook").isEmpty },
                "Alertmanager sent no webhook: \(am.process.output)")
        let theirRequest = try #require(hooks.requests(under: am.hookPrefix + "/hook").first)
        let myRequest = try #require(hooks.requests(under: am.hookPrefix + "/ours").first)
        let theirs = try #require(try json(theirRequest.body) as? [String: Any])
        let mine = try #require(try json(myRequest.body) as? [String: Any])
        #expect(Set(mine.keys) == Set(theirs.keys))
        #expect(mine["groupKey"] as? String == theirs["groupKey"] as? String)
        for key in ["version", "status"] {
            #expect(mine[key] as? String == theirs[key] as? String, "\(key)")
        }
        for key in ["groupLabels", "commonLabels", "commonAnnotations"] {
            #expect(mine[key] as? [String: String] == theirs[key] as? [String: String], "\(key)")
        }
        let theirAlert = try #require((theirs["alerts"] as? [[String: Any]])?.first)
        let myAlert = try #require((mine["alerts"] as? [[String: Any]])?.first)
        #expect(Set(myAlert.keys) == Set(theirAlert.keys))
        #expect(myAlert["fingerprint"] as? String == theirAlert["fingerprint"] as? String)
        #expect(myAlert["labels"] as? [String: String] == theirAlert["labels"] as? [String: String])

        // A silence built by silenceBody is accepted, active, and mutes the alert.
        let silence = AlertmanagerV2.silenceBody(
            matchers: [SilenceMatcher(name: "alertname", value: "WatchbillNotifyTest"),
                       SilenceMatcher(name: "instance", value: "host-.*", isRegex: true)],
            startsAt: now - 1, endsAt: now + 3600, createdBy: "watchbill-test", comment: "maintenance \"window\"")
        let posted = try HTTPPost().post(url: "http://127.0.0.1:\(am.port)/api/v2/silences", body: silence, headers: [],
                                         timeout: 5)
        #expect(posted.outcome == .delivered, "\(posted.error ?? "")")
        let silences = try #require(try am.get("/api/v2/silences") as? [[String: Any]])
        let mineSilence = try #require(silences.first { $0["createdBy"] as? String == "watchbill-test" })
        #expect((mineSilence["status"] as? [String: Any])?["state"] as? String == "active")
        #expect(mineSilence["comment"] as? String == "maintenance \"window\"")
        let matchers = try #require(mineSilence["matchers"] as? [[String: Any]])
        #expect(matchers.contains { $0["name"] as? String == "instance" && $0["isRegex"] as? Bool == true })
        let id = try #require(mineSilence["id"] as? String)
        #expect(eventually(timeout: 5) {
            let alerts = (try? am.get("/api/v2/alerts")) as? [[String: Any]] ?? []
            let status = alerts.first { ($0["labels"] as? [String: String])?["alertname"] == "WatchbillNotifyTest" }?["status"]
            return ((status as? [String: Any])?["silencedBy"] as? [String])?.contains(id) == true
        })
        #expect(!lines.all.joined().contains("tok-AM-x"))
    }

    @Test func aResolvedAlertIsShownResolved() throws {
        let am = try Running()
        defer { am.stop() }
        try #require(am.ready(within: 10), "Alertmanager did not become ready: \(am.process.output)")
        let now = Date().timeIntervalSince1970
        let post = try HTTPPost()
        let url = AlertmanagerV2.alertsURL(base: "http://127.0.0.1:\(am.port)")
        let firing = NotifyAlert(labels: ["alertname": "WatchbillResolveTest"], startsAt: now - 120, endsAt: now + 240,
                                 status: .firing)
        #expect(post.post(url: url, body: AlertmanagerV2.alertsBody([firing]), headers: [], timeout: 5).outcome == .delivered)
        // Alertmanager tells a receiver an alert resolved only if it told it the alert fired:
        // wait for that first, or on a loaded machine the resolve can overtake it and never be sent.
        let hooks = EchoServer.shared!
        #expect(eventually(timeout: 30) {
            hooks.requests(under: am.hookPrefix + "/hook").contains { (try? json($0.body) as? [String: Any])?["status"] as? String == "firing" }
        })
        var resolved = firing
        resolved.endsAt = now - 1
        resolved.status = .resolved
        #expect(post.post(url: url, body: AlertmanagerV2.alertsBody([resolved]), headers: [], timeout: 5).outcome == .delivered)
        // Resolved alerts leave the default list (it shows active ones only).
        #expect(eventually(timeout: 5) {
            let alerts = (try? am.get("/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true"))
                as? [[String: Any]] ?? []
            return !alerts.contains { ($0["labels"] as? [String: String])?["alertname"] == "WatchbillResolveTest" }
        })
        // And Alertmanager tells the webhook it resolved (its group timers, and a loaded
        // machine running every test at once, can take a while: bounded at 30 s).
        #expect(eventually(timeout: 30) {
            hooks.requests(under: am.hookPrefix + "/hook").contains { (try? json($0.body) as? [String: Any])?["status"] as? String == "resolved" }
        })
    }

    @Test func anInvalidAlertIsRefusedAndNotRetried() throws {
        let am = try Running()
        defer { am.stop() }
        try #require(am.ready(within: 10), "Alertmanager did not become ready: \(am.process.output)")
        // No alertname and a label name Alertmanager rejects.
        let bad = NotifyAlert(labels: ["bad-name": "x"], startsAt: 0, endsAt: 1, status: .resolved)
        let result = try HTTPPost().post(url: AlertmanagerV2.alertsURL(base: "http://127.0.0.1:\(am.port)"),
                                         body: AlertmanagerV2.alertsBody([bad]), headers: [], timeout: 5)
        #expect(result.status == 400 && result.outcome == .rejected)
        #expect(result.error?.contains("HTTP 400") == true)
    }
}
