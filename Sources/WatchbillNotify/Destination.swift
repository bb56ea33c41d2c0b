import WatchbillCore

/// Where notifications go: an Alertmanager (its v2 API) or a webhook receiver (its
/// webhook JSON). The name is what the intent log and the log lines use; the URL and
/// token stay here.
public struct Destination: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case alertmanager, webhook }

    public var kind: Kind
    public var name: String
    /// For Alertmanager, its base URL (`http://am:9093`); for a webhook, the URL to POST to.
    public var url: String
    public var bearerToken: Secret?
    /// Seconds one POST may take.
    public var timeout: Double

    public init(kind: Kind, name: String, url: String, bearerToken: Secret? = nil, timeout: Double = 10) {
        self.kind = kind
        self.name = name
        self.url = url
        self.bearerToken = bearerToken
        self.timeout = timeout
    }

    public var postURL: String { kind == .alertmanager ? AlertmanagerV2.alertsURL(base: url) : url }

    public var headers: [Header] {
        bearerToken.map { [Header(name: "Authorization", value: Secret("Bearer " + $0.revealed))] } ?? []
    }

    /// Safe to log: no token, no URL password.
    public var description: String { "\(kind.rawValue) \(name) (\(Redaction.shown(postURL)))" }

    /// The requests that carry `alerts` here. Alertmanager takes them all at once and
    /// groups them itself; a webhook gets one notification per `alertname`, as
    /// Alertmanager's usual `group_by: [alertname]` route would send.
    public func bodies(for alerts: [NotifyAlert], externalURL: String, now: Double) -> [String] {
        guard !alerts.isEmpty else { return [] }
        switch kind {
        case .alertmanager:
            return [AlertmanagerV2.alertsBody(alerts)]
        case .webhook:
            let groups = Dictionary(grouping: alerts) { $0.labels["alertname"] ?? "" }
            return groups.keys.sorted().map { name in
                Webhook.body(alerts: groups[name]!, receiver: self.name, groupLabels: ["alertname": name],
                             externalURL: externalURL, now: now)
            }
        }
    }
}
