/// Request bodies for Alertmanager's v2 API (`api/v2/openapi.yaml`).
public enum AlertmanagerV2 {
    /// `POST /api/v2/alerts`: a JSON array of postable alerts. An empty `generatorURL` is
    /// left out, as the API types it as a URI.
    public static func alertsBody(_ alerts: [NotifyAlert]) -> String {
        JSONText.array(alerts.map { a in
            var members = [
                "labels": JSONText.stringMap(a.labels),
                "annotations": JSONText.stringMap(a.annotations),
                "startsAt": JSONText.quoted(RFC3339.format(a.startsAt)),
                "endsAt": JSONText.quoted(RFC3339.format(a.endsAt)),
            ]
            if !a.generatorURL.isEmpty { members["generatorURL"] = JSONText.quoted(a.generatorURL) }
            return JSONText.object(members)
        })
    }

    /// `POST /api/v2/silences`; Alertmanager answers with `{"silenceID": ...}`.
    public static func silenceBody(matchers: [SilenceMatcher], startsAt: Double, endsAt: Double, createdBy: String,
                                   comment: String) -> String {
        JSONText.object([
            "matchers": JSONText.array(matchers.map(\.json)),
            "startsAt": JSONText.quoted(RFC3339.format(startsAt)),
            "endsAt": JSONText.quoted(RFC3339.format(endsAt)),
            "createdBy": JSONText.quoted(createdBy),
            "comment": JSONText.quoted(comment),
        ])
    }

    /// `POST /api/v2/alerts` under a base URL such as `http://am:9093` (a URL that already
    /// names the endpoint is kept).
    public static func alertsURL(base: String) -> String {
        let path = "/api/v2/alerts"
        if base.hasSuffix(path) { return base }
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }
}

/// One matcher of a silence: `name=value`, `name!=value`, `name=~regex`, `name!~regex`.
public struct SilenceMatcher: Sendable, Equatable {
    public var name: String
    public var value: String
    public var isRegex: Bool
    public var isEqual: Bool

    public init(name: String, value: String, isRegex: Bool = false, isEqual: Bool = true) {
        self.name = name
        self.value = value
        self.isRegex = isRegex
        self.isEqual = isEqual
    }

    var json: String {
        JSONText.object([
            "name": JSONText.quoted(name),
            "value": JSONText.quoted(value),
            "isRegex": isRegex ? "true" : "false",
            "isEqual": isEqual ? "true" : "false",
        ])
    }
}
