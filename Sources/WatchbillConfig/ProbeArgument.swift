import WatchbillCore

/// A probe given on the command line, with the defaults of the config file:
///
/// ```
/// --probe https://api.example.com/health    # HTTP: GET, 200-399 is success
/// --probe tcp://db.internal:5432            # connect
/// --probe tls://mail.example.com:465        # connect and TLS handshake
/// --probe dns:example.com                   # resolve
/// ```
///
/// The probe's name is the argument without a trailing slash (and without a URL's password).
public enum ProbeArgument {
    /// One `--probe` value. Throws `SourceError(file: "--probe", line: 1, ...)` for anything else.
    public static func parse(_ argument: String, slo: SLOTargets) throws -> ProbeSpec {
        let name = redactUserinfo(argument.hasSuffix("/") ? String(argument.dropLast()) : argument)
        let shown = redactUserinfo(argument)
        let lower = argument.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            if let problem = Values.urlProblem(argument) { throw bad("'\(shown)': \(problem)") }
            return ProbeSpec(name: name, kind: .http(HTTPCheck(url: argument)), slo: slo)
        }
        for (scheme, tls) in [("tcp://", false), ("tls://", true)] where lower.hasPrefix(scheme) {
            var address = argument.dropFirst(scheme.count)
            if address.hasSuffix("/") { address = address.dropLast() }
            if let problem = Values.addressProblem(String(address)) { throw bad("'\(shown)': \(problem)") }
            return ProbeSpec(name: name, kind: .tcp(TCPCheck(address: String(address), tls: tls)), slo: slo)
        }
        if lower.hasPrefix("dns:") {
            let host = String(argument.dropFirst(4))
            if let problem = Values.hostnameProblem(host) { throw bad("'\(shown)': \(problem)") }
            return ProbeSpec(name: name, kind: .dns(DNSCheck(name: host)), slo: slo)
        }
        throw bad("'\(shown)' is not a probe: use http://..., https://..., tcp://host:port, tls://host:port or dns:name")
    }

    static func bad(_ cause: String) -> SourceError {
        SourceError(file: "--probe", line: 1, column: nil, cause: cause)
    }
}
