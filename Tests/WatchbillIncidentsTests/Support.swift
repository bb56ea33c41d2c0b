import Foundation
import Testing
import WatchbillIncidents

/// 2025-03-14 09:00 UTC (20161 days after the epoch, plus 9 h).
let t0: Double = 1_741_942_800
let minute: Double = 60
let hour: Double = 3600

/// An incident's log as a store would write it: each entry gets the next seq.
struct Log {
    let id: Int64
    var events: [IncidentEvent] = []

    init(_ id: Int64) { self.id = id }

    /// `written` defaults to `at`: most entries are written as things happen.
    @discardableResult
    mutating func add(_ kind: IncidentEvent.Kind, at: Double, written: Double? = nil, by author: String = "alice",
                      field: String = "", text: String = "") -> IncidentEvent {
        let event = IncidentEvent(seq: Int64(events.count + 1), incident: id, at: at, writtenAt: written ?? at,
                                  author: author, kind: kind, field: field, text: text)
        events.append(event)
        return event
    }

    /// The next entry as it would be offered to the rules, before the store numbers it.
    func draft(_ kind: IncidentEvent.Kind, at: Double, written: Double? = nil, field: String = "",
               text: String = "") -> IncidentEvent {
        IncidentEvent(incident: id, at: at, writtenAt: written ?? at, author: "alice", kind: kind, field: field, text: text)
    }

    var incident: Incident { Incident.fold(id: id, events: events)! }
}

enum Scenario {
    static let alert = #"{alertname="HighErrorRate",service="checkout-api"}"#

    /// A P2 that became a P1: paged, rolled back, restored in 48 minutes, fixed the next
    /// day, written up. Several entries are back-dated, as on a real night.
    static func checkout() -> Log {
        let day2 = t0 + 24 * hour
        var log = Log(42)
        log.add(.opened, at: t0 + 6 * minute, by: "bob", field: "P2", text: "Checkout API returning 502s")
        log.add(.acknowledged, at: t0 + 6 * minute, by: "bob")
        log.add(.detected, at: t0 + 2 * minute, written: t0 + 7 * minute, by: "bob")
        log.add(.alerted, at: t0 + 3 * minute, written: t0 + 7 * minute, by: "bob")
        log.add(.fieldSet, at: t0 + 8 * minute, by: "bob", field: "owner", text: "alice")
        log.add(.severityChanged, at: t0 + 10 * minute, field: "P1")
        log.add(.alertLinked, at: t0 + 3 * minute, written: t0 + 10 * minute, by: "watchbill", field: alert,
                text: "5xx ratio 12% over 5m")
        log.add(.mitigationStarted, at: t0 + 15 * minute)
        log.add(.fieldSet, at: t0 + 20 * minute, field: "mitigation", text: "Rolled back checkout-api to v2.14.1")
        log.add(.fieldSet, at: t0 + 25 * minute, field: "mitigation", text: "Drained the eu-west-1 pool")
        log.add(.note, at: t0 + 48 * minute, text: "Error rate back under 0.1%")
        log.add(.restored, at: t0 + 50 * minute)
        log.add(.fieldSet, at: t0 + 60 * minute, field: "users_affected", text: "1200")
        log.add(.fieldSet, at: t0 + 60 * minute, field: "users_percent", text: "4.5")
        log.add(.fieldSet, at: t0 + 60 * minute, field: "services", text: "checkout-api, payments")
        log.add(.fieldSet, at: t0 + 60 * minute, field: "runbook", text: "runbooks/high-error-rate.md")
        log.add(.alertResolved, at: t0 + 52 * minute, written: t0 + 60 * minute, by: "watchbill", field: alert)
        log.add(.rootCauseIdentified, at: t0 + 150 * minute, by: "carol",
                text: "The v2.15.0 release halved the database connection pool; at the morning peak checkout-api "
                    + "ran out of connections and its proxy answered 502.")
        log.add(.fieldSet, at: day2, by: "carol", field: "permanent_fix",
                text: "Pool size is now derived from the replica count and checked at startup (v2.15.1).")
        log.add(.fixDeployed, at: day2 + 60 * minute, by: "carol")
        log.add(.actionAdded, at: day2 + 65 * minute, by: "carol",
                text: "alice|2025-03-21|Alert on pool exhaustion before 5xx")
        log.add(.actionAdded, at: day2 + 66 * minute, by: "carol",
                text: "carol|2025-03-17|Add a pool-size check to the release checklist")
        log.add(.fieldSet, at: day2 + 67 * minute, field: "prevention",
                text: "- Canary releases hold 30 minutes before full rollout\nPool saturation panel on the service dashboard\n")
        log.add(.resolved, at: day2 + 90 * minute)
        log.add(.stageChanged, at: day2 + 120 * minute, field: "postmortem")
        log.add(.note, at: day2 + 125 * minute, text: "Postmortem review booked for Tuesday")
        log.add(.note, at: t0 + 4 * minute, written: day2 + 130 * minute, by: "bob",
                text: "Customer support reported failed payments")
        log.add(.actionDone, at: day2 + 24 * hour + 240 * minute, by: "carol", field: "22")
        return log
    }

    /// Opened by hand late at night and barely started.
    static func safari() -> Log {
        let opened: Double = 1_741_992_000  // 2025-03-14 22:40 UTC
        var log = Log(7)
        log.add(.opened, at: opened, by: "dev", field: "P3", text: "Dashboard graphs blank in Safari")
        log.add(.note, at: opened + 10 * minute, by: "dev", text: "Reproduced on Safari 17 only")
        log.add(.fieldSet, at: opened + 12 * minute, by: "dev", field: "services", text: "web-dashboard")
        log.add(.actionAdded, at: opened + 15 * minute, by: "dev", text: "||Check other WebKit browsers")
        return log
    }
}

enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    static func read(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Compares line by line so a failure names the first lines that differ.
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try read(name)
        guard expected != actual else { return }
        // A deliberate change of format: rewrite, then read the diff in git before committing.
        if ProcessInfo.processInfo.environment["WATCHBILL_UPDATE_GOLDENS"] == "1" {
            try actual.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            return
        }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for i in 0..<max(e.count, a.count) where (i < e.count ? e[i] : "<end>") != (i < a.count ? a[i] : "<end>") {
            diff.append("line \(i + 1):\n  expected |\(i < e.count ? e[i] : "<end>")|\n  actual   |\(i < a.count ? a[i] : "<end>")|")
        }
        Issue.record(Comment(rawValue: "\(name) differs:\n" + diff.prefix(6).joined(separator: "\n")),
                     sourceLocation: sourceLocation)
    }
}
