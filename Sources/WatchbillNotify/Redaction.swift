import WatchbillCore

/// Keeps credentials out of text that may be logged or shown: a destination's token and
/// the password in a URL's userinfo, wherever they turn up (a receiver can echo a
/// request's headers in its error body).
struct Redaction: Sendable {
    private let secrets: [String]

    init(url: String, headers: [Header] = []) {
        var secrets: [String] = []
        for h in headers where !h.value.revealed.isEmpty {
            secrets.append(h.value.revealed)
            // `Bearer abc`: the credential alone can appear without its scheme.
            if let space = h.value.revealed.lastIndex(of: " ") {
                let credential = String(h.value.revealed[h.value.revealed.index(after: space)...])
                if !credential.isEmpty { secrets.append(credential) }
            }
        }
        if let password = Redaction.userinfoPassword(url), !password.isEmpty { secrets.append(password) }
        // Longest first, so a secret containing another is replaced whole.
        self.secrets = secrets.sorted { $0.count > $1.count }
    }

    init(secrets: [String]) { self.secrets = secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count } }

    func scrub(_ text: String) -> String {
        var out = text
        for s in secrets where out.contains(s) { out = out.replacing(s, with: "<redacted>") }
        return out
    }

    /// `pw` in `https://user:pw@host/`.
    static func userinfoPassword(_ url: String) -> String? {
        guard let scheme = url.firstRange(of: "://") else { return nil }
        let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let userinfo = authority[..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return nil }
        return String(userinfo[userinfo.index(after: colon)...])
    }

    /// A URL as a log line may show it: scheme, host and port; the userinfo, path and query
    /// hidden, since a webhook's path or query is often its secret (`/services/T0/B0/XXXX`).
    static func shown(_ url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return "<url>" }
        let rest = url[scheme.upperBound...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let hidden = rest.count > rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }.count
        return String(url[..<scheme.upperBound]) + authority + (hidden ? "/…" : "")
    }
}
