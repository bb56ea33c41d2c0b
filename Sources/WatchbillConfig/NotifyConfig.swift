import WatchbillCore
import WatchbillYAML

/// Where alerts go: an Alertmanager (its v2 API) and webhooks (Alertmanager's webhook JSON).
public struct NotifyTarget: Sendable, Equatable {
    public enum Kind: String, Sendable { case alertmanager, webhook }
    public var kind: Kind
    public var name: String
    public var url: String
    /// From `token: ${VAR}`; never a literal in the file.
    public var token: Secret?
    /// From `token_file:`, read when the dashboard starts.
    public var tokenFile: String?
    public var timeout: Double

    public init(kind: Kind, name: String, url: String, token: Secret? = nil, tokenFile: String? = nil, timeout: Double = 10) {
        self.kind = kind
        self.name = name
        self.url = url
        self.token = token
        self.tokenFile = tokenFile
        self.timeout = timeout
    }
}

/// The config's `notify` section:
///
/// ```yaml
/// notify:
///   external_url: http://oncall-box:9100   # links back to this host (generatorURL); optional
///   alertmanager:
///     url: http://127.0.0.1:9093
///     token: ${AM_TOKEN}                    # or token_file: /run/secrets/am; optional
///     timeout: 10s
///   webhooks:
///     - name: chat
///       url: https://hooks.example.com/watchbill
///       token_file: /run/secrets/hook
/// ```
public struct NotifySettings: Sendable, Equatable {
    public var targets: [NotifyTarget] = []
    public var externalURL = ""
    public init() {}
}

extension ConfigReader {
    static let notifyKeys = ["external_url", "alertmanager", "webhooks"]
    static let targetKeys = ["name", "url", "token", "token_file", "timeout"]

    func notify(_ node: Node) throws -> NotifySettings {
        var settings = NotifySettings()
        for e in try entries(of: node, in: "notify", allowed: Self.notifyKeys) {
            switch e.name {
            case "external_url":
                settings.externalURL = try string(e.value, key: "external_url") ?? ""
            case "alertmanager":
                let t = try target(e.value, kind: .alertmanager, defaultName: "alertmanager")
                if settings.targets.contains(where: { $0.name == t.name }) {
                    throw fail(e.value, "a notify target named '\(t.name)' is already defined")
                }
                settings.targets.append(t)
            default:
                guard let list = e.value.sequence else {
                    if Self.isNull(e.value) { continue }
                    throw fail(e.value, "webhooks must be a list (- name: ..., url: ...), found \(Self.describe(e.value))")
                }
                for (i, item) in list.enumerated() {
                    let t = try target(item, kind: .webhook, defaultName: "webhook\(i + 1)")
                    if settings.targets.contains(where: { $0.name == t.name }) {
                        throw fail(item, "a notify target named '\(t.name)' is already defined")
                    }
                    settings.targets.append(t)
                }
            }
        }
        return settings
    }

    func target(_ node: Node, kind: NotifyTarget.Kind, defaultName: String) throws -> NotifyTarget {
        var t = NotifyTarget(kind: kind, name: defaultName, url: "")
        for e in try entries(of: node, in: kind.rawValue, allowed: Self.targetKeys) {
            switch e.name {
            case "name": t.name = try string(e.value, key: "name") ?? t.name
            case "url":
                let url = try string(e.value, key: "url") ?? ""
                if let problem = Values.urlProblem(url) { throw fail(e.value, "bad url: \(problem)") }
                t.url = url
            case "token":
                // A token written into the file would end up in git: only ${VAR} is accepted.
                guard let text = e.value.scalar?.string, text.hasPrefix("${"), text.hasSuffix("}") else {
                    throw fail(e.value, "token must come from the environment, as token: ${VAR}, or from token_file:")
                }
                t.token = Secret(try headerValue(e.value, name: "token"))
            case "token_file": t.tokenFile = try path(e.value, key: "token_file")
            default:
                t.timeout = try duration(e.value, key: "timeout", positive: true)?.seconds ?? t.timeout
                if t.timeout > 300 { throw fail(e.value, "timeout must be at most 5m") }
            }
        }
        if t.url.isEmpty { throw fail(node, "\(kind.rawValue) needs a url") }
        if t.token != nil && t.tokenFile != nil { throw fail(node, "\(kind.rawValue): token and token_file both given; keep one") }
        return t
    }
}
