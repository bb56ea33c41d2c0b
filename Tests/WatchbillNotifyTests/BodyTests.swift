import Foundation
import Testing
@testable import WatchbillNotify
import WatchbillRules

struct NotifyAlertTests {
    let rule = AlertRule(name: "DiskFull", expr: .number(1), holdFor: 60, labels: ["severity": "P2"],
                         annotations: ["summary": "{{ $labels.mountpoint }} is {{ $value | humanizePercentage }} full",
                                       "broken": "{{ $labels.mountpoint", "runbook_url": "runbooks/disk.md"])
    let labels = Labels(["alertname": "DiskFull", "mountpoint": "/var", "severity": "P2"])

    func alert(_ phase: AlertPhase, resolvedAt: Double? = nil) -> ActiveAlert {
        ActiveAlert(labels: labels, phase: phase, value: 0.97, activeAt: 1000, firedAt: phase == .pending ? nil : 1060,
                    resolvedAt: resolvedAt, lastSeen: 1200)
    }

    @Test func firingAlertIsValidForFourResendDelaysAtShortIntervals() throws {
        let n = try #require(NotifyAlert.from(rule: rule, alert: alert(.firing), evalInterval: 15, now: 1200))
        #expect(n.status == .firing && n.startsAt == 1060)
        #expect(n.endsAt == 1200 + 4 * 60)
        #expect(n.labels == ["alertname": "DiskFull", "mountpoint": "/var", "severity": "P2"])
    }

    @Test func firingAlertIsValidForFourIntervalsWhenTheIntervalIsLonger() throws {
        let n = try #require(NotifyAlert.from(rule: rule, alert: alert(.firing), evalInterval: 120, now: 1200))
        #expect(n.endsAt == 1200 + 4 * 120)
    }

    @Test func resolvedAlertEndsWhenItResolved() throws {
        let n = try #require(NotifyAlert.from(rule: rule, alert: alert(.resolved, resolvedAt: 1300), evalInterval: 15,
                                              now: 1400))
        #expect(n.status == .resolved && n.endsAt == 1300)
    }

    @Test func pendingAlertIsNeverANotification() {
        #expect(NotifyAlert.from(rule: rule, alert: alert(.pending), evalInterval: 15, now: 1200) == nil)
    }

    @Test func annotationsAreRenderedAndABrokenTemplateIsKeptRaw() throws {
        let n = try #require(NotifyAlert.from(rule: rule, alert: alert(.firing), evalInterval: 15, now: 1200))
        #expect(n.annotations["summary"] == "/var is 97% full")
        #expect(n.annotations["broken"] == "{{ $labels.mountpoint")
        #expect(n.annotations["runbook_url"] == "runbooks/disk.md")
    }

    @Test func statusFollowsEndsAt() {
        let a = NotifyAlert(labels: ["alertname": "X"], startsAt: 0, endsAt: 100, now: 50)
        #expect(a.status == .firing)
        #expect(a.status(at: 99) == .firing && a.status(at: 100) == .resolved)
        #expect(NotifyAlert(labels: ["alertname": "X"], startsAt: 0, endsAt: 100, now: 100).status == .resolved)
    }
}

struct AlertmanagerBodyTests {
    @Test func alertsBodyIsAnArrayOfPostableAlerts() throws {
        let a = NotifyAlert(labels: ["alertname": "ApiDown", "job": "api \"eu\""], annotations: ["summary": "down\nhard"],
                            startsAt: 951_782_400, endsAt: 951_782_640.5, generatorURL: "http://wb/rules#ApiDown",
                            status: .firing)
        let b = NotifyAlert(labels: ["alertname": "Other"], startsAt: 0, endsAt: 10, status: .resolved)
        let body = AlertmanagerV2.alertsBody([a, b])
        let parsed = try #require(try json(body) as? [[String: Any]])
        #expect(parsed.count == 2)
        #expect(parsed[0]["labels"] as? [String: String] == ["alertname": "ApiDown", "job": "api \"eu\""])
        #expect(parsed[0]["annotations"] as? [String: String] == ["summary": "down\nhard"])
        #expect(parsed[0]["startsAt"] as? String == "2000-02-29T00:00:00.000Z")
        #expect(parsed[0]["endsAt"] as? String == "2000-02-29T00:04:00.500Z")
        #expect(parsed[0]["generatorURL"] as? String == "http://wb/rules#ApiDown")
        // An empty generator URL is left out rather than sent as an invalid URI.
        #expect(parsed[1]["generatorURL"] == nil)
        #expect(Set(parsed[1].keys) == ["labels", "annotations", "startsAt", "endsAt"])
        // Deterministic: sorted keys, so the same alerts make the same bytes.
        #expect(body.hasPrefix(#"[{"annotations":{"summary":"down\nhard"},"endsAt":"#))
    }

    @Test func silenceBodyCarriesMatchersAndTimes() throws {
        let body = AlertmanagerV2.silenceBody(
            matchers: [SilenceMatcher(name: "alertname", value: "DiskFull"),
                       SilenceMatcher(name: "mountpoint", value: "/boot|/efi", isRegex: true, isEqual: false)],
            startsAt: 0, endsAt: 3600, createdBy: "ops@example", comment: "disk \"swap\"")
        let parsed = try #require(try json(body) as? [String: Any])
        #expect(parsed["startsAt"] as? String == "1970-01-01T00:00:00.000Z")
        #expect(parsed["endsAt"] as? String == "1970-01-01T01:00:00.000Z")
        #expect(parsed["createdBy"] as? String == "ops@example")
        #expect(parsed["comment"] as? String == "disk \"swap\"")
        let matchers = try #require(parsed["matchers"] as? [[String: Any]])
        #expect(matchers.count == 2)
        #expect(matchers[1]["name"] as? String == "mountpoint" && matchers[1]["value"] as? String == "/boot|/efi")
        #expect(matchers[1]["isRegex"] as? Bool == true && matchers[1]["isEqual"] as? Bool == false)
        #expect(matchers[0]["isRegex"] as? Bool == false && matchers[0]["isEqual"] as? Bool == true)
    }

    @Test func alertsURLIsUnderTheBase() {
        #expect(AlertmanagerV2.alertsURL(base: "http://am:9093") == "http://am:9093/api/v2/alerts")
        #expect(AlertmanagerV2.alertsURL(base: "http://am:9093/") == "http://am:9093/api/v2/alerts")
        #expect(AlertmanagerV2.alertsURL(base: "http://am/api/v2/alerts") == "http://am/api/v2/alerts")
    }
}

struct WebhookBodyTests {
    let firing = NotifyAlert(labels: ["alertname": "DiskFull", "mountpoint": "/", "severity": "P2"],
                             annotations: ["summary": "root full", "runbook_url": "r.md"], startsAt: 100, endsAt: 400,
                             generatorURL: "", status: .firing)
    let resolved = NotifyAlert(labels: ["alertname": "DiskFull", "mountpoint": "/var", "severity": "P2"],
                               annotations: ["summary": "var full", "runbook_url": "r.md"], startsAt: 50, endsAt: 150,
                               status: .resolved)

    @Test func versionFourBodyWithCommonPairsAndPerAlertStatus() throws {
        let body = Webhook.body(alerts: [firing, resolved], receiver: "chat", groupLabels: ["alertname": "DiskFull"],
                                externalURL: "http://watchbill.local", now: 200)
        let p = try #require(try json(body) as? [String: Any])
        #expect(p["version"] as? String == "4")
        #expect(p["truncatedAlerts"] as? Int == 0)
        #expect(p["status"] as? String == "firing")
        #expect(p["receiver"] as? String == "chat")
        #expect(p["groupKey"] as? String == #"{}:{alertname="DiskFull"}"#)
        #expect(p["groupLabels"] as? [String: String] == ["alertname": "DiskFull"])
        #expect(p["commonLabels"] as? [String: String] == ["alertname": "DiskFull", "severity": "P2"])
        #expect(p["commonAnnotations"] as? [String: String] == ["runbook_url": "r.md"])
        #expect(p["externalURL"] as? String == "http://watchbill.local")
        let alerts = try #require(p["alerts"] as? [[String: Any]])
        #expect(alerts.map { $0["status"] as? String } == ["firing", "resolved"])
        #expect(alerts[0]["fingerprint"] as? String == firing.fingerprint)
        #expect(alerts[1]["endsAt"] as? String == RFC3339.format(150))
        #expect(Set(alerts[0].keys) == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"])
    }

    @Test func resolvedWhenNoAlertFires() throws {
        let body = Webhook.body(alerts: [resolved], receiver: "chat", groupLabels: [:], externalURL: "", now: 200)
        let p = try #require(try json(body) as? [String: Any])
        #expect(p["status"] as? String == "resolved")
        #expect(p["groupKey"] as? String == "{}:{}")
    }

    @Test func aFiringAlertPastItsEndIsReportedResolved() throws {
        let body = Webhook.body(alerts: [firing], receiver: "chat", groupLabels: [:], externalURL: "", now: 400)
        let p = try #require(try json(body) as? [String: Any])
        #expect(p["status"] as? String == "resolved")
    }

    @Test func groupKeyQuotesLikeGo() {
        #expect(Webhook.groupKey(["b": "x\"y", "a": "1"]) == #"{}:{a="1", b="x\"y"}"#)
    }

    @Test func webhookDestinationSendsOneBodyPerAlertname() throws {
        let other = NotifyAlert(labels: ["alertname": "ApiDown"], startsAt: 0, endsAt: 900, status: .firing)
        let hook = Destination(kind: .webhook, name: "chat", url: "http://x/hook")
        let bodies = hook.bodies(for: [firing, other, resolved], externalURL: "", now: 200)
        let groups = try bodies.map { try #require(try json($0) as? [String: Any]) }
        #expect(groups.map { $0["groupLabels"] as? [String: String] } == [["alertname": "ApiDown"], ["alertname": "DiskFull"]])
        #expect(groups.map { ($0["alerts"] as? [Any])?.count } == [1, 2])
        let am = Destination(kind: .alertmanager, name: "am", url: "http://am:9093")
        #expect(am.bodies(for: [firing, other], externalURL: "", now: 200).count == 1)
        #expect(am.bodies(for: [], externalURL: "", now: 200).isEmpty)
    }
}
