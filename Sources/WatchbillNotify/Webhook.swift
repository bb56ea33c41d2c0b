/// Alertmanager's webhook payload (`notify/webhook/webhook.go`, version 4), so anything
/// written for Alertmanager's webhooks (chat bridges, ticket bots) takes Watchbill's too.
public enum Webhook {
    /// One notification for one group of alerts. `status` is firing while any alert is;
    /// `commonLabels` and `commonAnnotations` are the pairs every alert has.
    public static func body(alerts: [NotifyAlert], receiver: String, groupLabels: [String: String], externalURL: String,
                            now: Double) -> String {
        let statuses = alerts.map { $0.status(at: now) }
        return JSONText.object([
            "version": JSONText.quoted("4"),
            "groupKey": JSONText.quoted(groupKey(groupLabels)),
            "truncatedAlerts": "0",
            "status": JSONText.quoted((statuses.contains(.firing) ? NotifyAlert.Status.firing : .resolved).rawValue),
            "receiver": JSONText.quoted(receiver),
            "groupLabels": JSONText.stringMap(groupLabels),
            "commonLabels": JSONText.stringMap(common(alerts.map(\.labels))),
            "commonAnnotations": JSONText.stringMap(common(alerts.map(\.annotations))),
            "externalURL": JSONText.quoted(externalURL),
            "alerts": JSONText.array(zip(alerts, statuses).map { a, status in
                JSONText.object([
                    "status": JSONText.quoted(status.rawValue),
                    "labels": JSONText.stringMap(a.labels),
                    "annotations": JSONText.stringMap(a.annotations),
                    "startsAt": JSONText.quoted(RFC3339.format(a.startsAt)),
                    "endsAt": JSONText.quoted(RFC3339.format(a.endsAt)),
                    "generatorURL": JSONText.quoted(a.generatorURL),
                    "fingerprint": JSONText.quoted(a.fingerprint),
                ])
            }),
        ])
    }

    /// Alertmanager's key for the root route's group: `{}:{alertname="X", job="y"}`.
    /// Receivers use it to thread notifications about the same group together.
    public static func groupKey(_ groupLabels: [String: String]) -> String {
        let pairs = groupLabels.sorted { JSONText.utf8Less($0.key, $1.key) }.map { "\($0.key)=\(goQuoted($0.value))" }
        return "{}:{" + pairs.joined(separator: ", ") + "}"
    }

    /// The pairs present, with the same value, in every map.
    static func common(_ maps: [[String: String]]) -> [String: String] {
        guard var shared = maps.first else { return [:] }
        for m in maps.dropFirst() { shared = shared.filter { m[$0.key] == $0.value } }
        return shared
    }

    /// `%q` as Go's label set printing uses it, for the characters label values carry.
    private static func goQuoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
