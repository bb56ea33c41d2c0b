import Foundation
import LoopbackServers
import Testing
import WatchbillCore
@testable import WatchbillNotify

/// Real POSTs through libcurl to the Python echo server on loopback.
@Suite(.enabled(if: EchoServer.shared != nil, "python3 could not start the loopback echo server"))
struct HTTPPostTests {
    let server = EchoServer.shared!
    let prefix = "/t-\(UUID().uuidString.prefix(8))"
    let token = Header(name: "Authorization", value: Secret("Bearer tok-REAL-789"))

    @Test func postsTheBodyWithJSONContentTypeAndTheToken() throws {
        let post = try HTTPPost()
        let body = AlertmanagerV2.alertsBody([NotifyAlert(labels: ["alertname": "Ünïcode \"x\""], startsAt: 0, endsAt: 60,
                                                          status: .firing)])
        let result = post.post(url: server.url(prefix + "/ok"), body: body, headers: [token], timeout: 5)
        #expect(result.status == 200 && result.error == nil)
        #expect(result.outcome == .delivered)
        let received = try #require(server.requests(under: prefix).first)
        #expect(received.body == body)
        #expect(received.contentType == "application/json")
        #expect(received.authorization == "Bearer tok-REAL-789")
    }

    @Test func statusesMapToOutcomes() throws {
        let post = try HTTPPost()
        for (status, outcome) in [(202, PostResult.Outcome.delivered), (400, .rejected), (404, .rejected), (429, .retry),
                                  (500, .retry), (503, .retry), (302, .rejected)] {
            let result = post.post(url: server.url("\(prefix)/status/\(status)"), body: "[]", headers: [], timeout: 5)
            #expect(result.status == status)
            #expect(result.outcome == outcome, "HTTP \(status)")
            #expect((result.error == nil) == (outcome == .delivered))
        }
        // The redirect was not followed: only the requests above reached the server.
        #expect(server.requests(under: prefix).count == 7)
    }

    @Test func anErrorTextNeverCarriesTheTokenEvenWhenTheServerEchoesIt() throws {
        let result = try HTTPPost().post(url: server.url(prefix + "/status/401/echo"), body: "[]", headers: [token],
                                         timeout: 5)
        let error = try #require(result.error)
        #expect(result.outcome == .rejected)
        #expect(error.contains("HTTP 401") && error.contains("you sent Authorization: <redacted>"))
        #expect(!error.contains("tok-REAL-789"))
    }

    @Test func aURLPasswordIsRedactedInTheErrorText() throws {
        let url = "http://alice:hunter2@127.0.0.1:\(server.port)\(prefix)/status/500"
        let result = try HTTPPost().post(url: url, body: "[]", headers: [], timeout: 5)
        let error = try #require(result.error)
        // The server only: no user, no password, no path (a webhook's path is often its secret).
        #expect(error.contains("http://127.0.0.1:\(server.port)/…") && !error.contains("hunter2") && !error.contains("alice"))
    }

    @Test func aRefusedConnectionIsATransportErrorToRetry() throws {
        let result = try HTTPPost().post(url: "http://127.0.0.1:\(unusedLoopbackPort())/x", body: "[]", headers: [token],
                                         timeout: 5)
        #expect(result.status == nil && result.outcome == .retry)
        #expect(result.error?.contains("127.0.0.1") == true)
    }

    @Test func aSlowReceiverTimesOutWithinTheTimeout() throws {
        let started = Date()
        let result = try HTTPPost().post(url: server.url(prefix + "/slow/3"), body: "[]", headers: [], timeout: 0.5)
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(result.status == nil && result.outcome == .retry)
        #expect(result.error?.lowercased().contains("timed out") == true || result.error?.contains("timeout") == true)
    }

    @Test func aNotifierDeliversAWebhookBodyThroughHTTPPost() throws {
        let dir = try temporaryDirectory("wb-hook")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = LogLines()
        let hook = Destination(kind: .webhook, name: "chat", url: server.url(prefix + "/hook"),
                               bearerToken: Secret("tok-HOOK-1"))
        let notifier = Notifier(destinations: [hook], intentLog: try IntentLog(path: dir + "/intents.log", now: 0),
                                transport: try HTTPPost(), settings: Notifier.Settings(externalURL: "http://wb.local"),
                                log: { lines.append($0) })
        notifier.start()
        let now = 1_764_619_491.5
        let alert = NotifyAlert(labels: ["alertname": "ApiDown", "instance": "api-1"], annotations: ["summary": "api-1 down"],
                                startsAt: now - 60, endsAt: now + 240, status: .firing)
        notifier.enqueue([alert], now: now)
        #expect(notifier.waitUntilIdle(timeout: 10))
        #expect(notifier.stop(timeout: 5))
        #expect(notifier.counters.sent == 1)
        let received = try #require(server.requests(under: prefix + "/hook").first)
        #expect(received.authorization == "Bearer tok-HOOK-1")
        let body = try #require(try json(received.body) as? [String: Any])
        #expect(body["version"] as? String == "4" && body["receiver"] as? String == "chat")
        #expect(body["externalURL"] as? String == "http://wb.local")
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        #expect(alerts.first?["startsAt"] as? String == "2025-12-01T20:03:51.500Z")
        #expect(alerts.first?["annotations"] as? [String: String] == ["summary": "api-1 down"])
        #expect(lines.all.isEmpty)
    }
}
