import FoundationEssentials
import WatchbillCore

/// An alert another system holds: Prometheus (`/api/v1/alerts`) or Alertmanager
/// (`/api/v2/alerts`), as the Alerts pane shows it beside the local ones.
public struct RemoteAlert: Sendable, Equatable {
    public enum State: String, Sendable { case pending, firing }
    public var source: AlertOrigin
    public var labels: [String: String]
    public var annotations: [String: String]
    public var state: State
    public var activeAt: Double?
    public var value: Double?
    /// Alertmanager's silences and inhibitions: why it is not paging anyone.
    public var suppressedBy: String?

    public var name: String { labels["alertname"] ?? "?" }

    public init(source: AlertOrigin, labels: [String: String], annotations: [String: String], state: State, activeAt: Double?,
                value: Double?, suppressedBy: String? = nil) {
        self.source = source
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.activeAt = activeAt
        self.value = value
        self.suppressedBy = suppressedBy
    }
}

/// The two APIs' answers, read with the standard JSON decoder; a body that is not what the
/// API returns is an error saying what was expected.
public enum RemoteAlertsReader {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    private struct PrometheusAnswer: Decodable {
        struct Data: Decodable { var alerts: [Alert] }
        struct Alert: Decodable {
            var labels: [String: String]
            var annotations: [String: String]?
            var state: String
            var activeAt: String?
            var value: String?
        }
        var status: String
        var data: Data?
        var error: String?
    }

    private struct AlertmanagerAlert: Decodable {
        struct Status: Decodable {
            var state: String
            var silencedBy: [String]?
            var inhibitedBy: [String]?
        }
        var labels: [String: String]
        var annotations: [String: String]?
        var startsAt: String?
        var status: Status
    }

    /// Prometheus' `GET /api/v1/alerts`: pending and firing alerts.
    public static func prometheus(_ bytes: [UInt8], source: AlertOrigin) throws(Failure) -> [RemoteAlert] {
        let answer: PrometheusAnswer
        do {
            answer = try JSONDecoder().decode(PrometheusAnswer.self, from: Data(bytes))
        } catch {
            throw Failure(description: "not Prometheus' alerts API answer (\(Self.brief(error)))")
        }
        guard answer.status == "success", let data = answer.data else {
            throw Failure(description: "Prometheus said \(answer.status): \(answer.error ?? "no reason")")
        }
        return data.alerts.compactMap { a in
            guard let state = RemoteAlert.State(rawValue: a.state) else { return nil }
            return RemoteAlert(source: source, labels: a.labels, annotations: a.annotations ?? [:], state: state,
                               activeAt: a.activeAt.flatMap(RFC3339Reader.seconds), value: a.value.flatMap(Double.init))
        }
    }

    /// Alertmanager's `GET /api/v2/alerts`: every alert it holds, with why it is suppressed.
    public static func alertmanager(_ bytes: [UInt8], source: AlertOrigin) throws(Failure) -> [RemoteAlert] {
        let alerts: [AlertmanagerAlert]
        do {
            alerts = try JSONDecoder().decode([AlertmanagerAlert].self, from: Data(bytes))
        } catch {
            throw Failure(description: "not Alertmanager's v2 alerts answer (\(Self.brief(error)))")
        }
        return alerts.map { a in
            var why: String?
            if let s = a.status.silencedBy, !s.isEmpty { why = "silenced in Alertmanager (\(s.joined(separator: ", ")))" }
            else if let i = a.status.inhibitedBy, !i.isEmpty { why = "inhibited in Alertmanager" }
            else if a.status.state == "suppressed" { why = "suppressed in Alertmanager" }
            return RemoteAlert(source: source, labels: a.labels, annotations: a.annotations ?? [:], state: .firing,
                               activeAt: a.startsAt.flatMap(RFC3339Reader.seconds), value: nil, suppressedBy: why)
        }
    }

    static func brief(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted: return "not JSON"
        case DecodingError.keyNotFound(let key, _): return "no \(key.stringValue)"
        case DecodingError.typeMismatch(_, let c): return "unexpected type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "unreadable"
        }
    }
}

/// RFC 3339 timestamps (`2026-12-01T23:44:53.123Z`, `...+01:00`) as Unix seconds.
public enum RFC3339Reader {
    public static func seconds(_ text: String) -> Double? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<from + count {
                guard (48...57).contains(b[i]) else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
              b[10] == 84 || b[10] == 116 || b[10] == 32, let h = num(11, 2), b[13] == 58, let mi = num(14, 2), b[16] == 58,
              let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count && b[i] == 46 {
            i += 1
            var scale = 0.1
            while i < b.count, (48...57).contains(b[i]) {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45, let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = num(i + 4, 2) {
            offset = (b[i] == 43 ? 1 : -1) * (oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // Days from the civil date (Howard Hinnant's days_from_civil).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86_400 + h * 3600 + mi * 60 + s - offset) + fraction
    }
}
