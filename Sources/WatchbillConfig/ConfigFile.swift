import WatchbillCore
import WatchbillIncidents
import WatchbillRules
import WatchbillYAML

/// What the config file says: the probes, the SLO they are held to, and how to draw latency.
/// The config's `fleet` section.
public struct FleetSettings: Sendable, Equatable {
    /// node_exporters to scrape (`--node`).
    public var nodes: [String] = []
    /// Prometheus' and Alertmanager's base URLs (`--prometheus`, `--alertmanager`).
    public var prometheus: String?
    public var alertmanager: String?
    /// The job whose `up` series are the hosts (`--prometheus-job`).
    public var job: String?
    /// Seconds between scrapes (`--scrape-interval`).
    public var every: Double?
    /// Service latency histograms read from Prometheus (`latency:`).
    public var latency: [LatencyHistogramSpec] = []
    /// The CA bundle https endpoints are verified with (`--ca-file`).
    public var caFile: String?
    /// Files holding the node_exporters' bearer token or basic auth's user:password
    /// (`--node-token-file`, `--node-basic-auth-file`): never the secret itself.
    public var tokenFile: String?
    public var basicAuthFile: String?
    public init() {}
}

public struct WatchbillConfiguration: Sendable, Equatable {
    public var probes: [ProbeSpec]
    /// The file's `slo` section over `SLOTargets.sla`; each probe starts from it.
    public var slo: SLOTargets
    /// `latency: {shared_axis: true}`: one latency scale for every probe's chart.
    public var sharedLatencyAxis: Bool
    /// Named layouts, in file order; they add to (or replace) the built-in ones.
    public var layouts: [LayoutSpec]
    /// `wall: {cycle: [a, b], every: 30s}`: the layouts a wall display cycles through.
    public var wallCycle: [String]
    public var wallEvery: Double?
    /// `notify:`: Alertmanager and webhooks the alerts go to.
    public var notify = NotifySettings()
    /// `incidents: {auto_open: true}`: a P0 or P1 alert that starts paging opens an incident.
    public var autoOpenIncidents = false
    /// `fleet:`: the hosts and alert sources a wall display or a team's box watches, so
    /// they need not be given as flags each time (flags add to or override them).
    public var fleet = FleetSettings()
    /// `severities: {sev1: P0, critical: P0}`: a team's words for P0 to P3 in its rules'
    /// `severity` labels, over the common ones (lower case).
    public var severityWords: [String: Severity] = [:]
    /// The labels the alert rules see on this host's series, as a Prometheus scrape adds them
    /// (`job`, `instance`); nil: `job="node"` and the host's name.
    public var targetLabels: [String: String]?

    public init(probes: [ProbeSpec] = [], slo: SLOTargets = .sla, sharedLatencyAxis: Bool = false,
                layouts: [LayoutSpec] = [], wallCycle: [String] = [], wallEvery: Double? = nil) {
        self.probes = probes
        self.slo = slo
        self.sharedLatencyAxis = sharedLatencyAxis
        self.layouts = layouts
        self.wallCycle = wallCycle
        self.wallEvery = wallEvery
    }
}

/// A named layout: which panes are on screen, or the one-line-per-resource compact view.
public struct LayoutSpec: Sendable, Equatable {
    public var name: String
    /// Pane names from `LayoutSpec.paneNames`, in any order (the screen places them).
    public var panes: [String]
    public var compact: Bool

    public init(name: String, panes: [String], compact: Bool = false) {
        self.name = name
        self.panes = panes
        self.compact = compact
    }

    public static let paneNames = ["cpu", "memory", "disk", "network", "latency", "slo", "processes"]
    public static let builtIn = [
        LayoutSpec(name: "default", panes: ["cpu", "memory", "disk", "network", "latency", "slo"]),
        LayoutSpec(name: "triage", panes: ["cpu", "memory", "processes", "latency", "slo"]),
        LayoutSpec(name: "compact", panes: [], compact: true),
    ]

    /// The built-in layouts with the file's over them, by name.
    public static func all(_ user: [LayoutSpec]) -> [LayoutSpec] {
        builtIn.filter { b in !user.contains { $0.name == b.name } } + user
    }
}

/// The dashboard's config file, `~/.config/watchbill/config.yaml`:
///
/// ```yaml
/// probes:                         # a list
///   - name: api                   # required, unique, not empty
///     http:                       # exactly one of http / tcp / dns
///       url: https://api.example.com/health   # http:// or https://
///       method: GET               # default GET; uppercase letters only
///       expect_status: [200-299, 304]   # codes, "200-299" ranges or "2xx" classes; default 200-399
///       body_contains: "ok"       # the body must contain this text
///       headers:
///         Authorization: "Bearer ${API_TOKEN}"   # ${VAR} from the environment; $$ is a literal $
///       follow_redirects: false   # default false
///       tls_verify: true          # default true
///       ca_file: /etc/ssl/private-ca.pem       # verify against this PEM bundle, not the system's
///       reuse_connection: false   # default false: every probe pays (and measures) DNS, connect, TLS
///       max_body: 256KiB          # bytes read at most: a number, or with a B, KiB or MiB suffix
///     interval: 5s                # default 5s
///     timeout: 2s                 # default 2s (or the interval, if shorter); > 0 and <= interval
///     labels: {team: payments}    # text to text
///     slo:                        # this probe's changes to the slo section below
///       latency_threshold: 300ms
///   - name: db
///     tcp: {address: "db.internal:5432", tls: false, tls_verify: true, ca_file: /etc/ssl/ca.pem}
///   - name: resolver
///     dns: {name: example.com}
/// slo:                            # over the SLA defaults (SLOTargets.sla)
///   availability: 99.9%           # a percentage, or a fraction between 0 and 1
///   latency_threshold: 500ms      # a successful probe slower than this is slow
///   latency_target: 95%           # share of successful probes that must beat the threshold
///   error_rate: 0.1%
///   window: 30d                   # the error budget's window
///   min_probes: 10                # fewer probes than this in a window: burn rate not trusted
/// latency:
///   shared_axis: false            # one latency scale for all probes
/// layouts:                        # named layouts, over the built-in default, triage, compact
///   oncall: {panes: [latency, slo, cpu, memory]}
///   tiny: {compact: true}
/// wall:                           # for --wall
///   cycle: [default, oncall]      # layouts to cycle through
///   every: 30s
/// notify:                         # see NotifySettings
///   alertmanager: {url: "http://127.0.0.1:9093", token: "${AM_TOKEN}"}
/// incidents:
///   auto_open: false              # a P0 or P1 that starts paging opens an incident
/// ```
///
/// Durations are `500ms`, `5s`, `2m`, `1h`, `30d` or a bare number of seconds. A `tcp` address is
/// `host:port` or `[v6]:port`; `tls: true` completes a TLS handshake after connecting. Only header
/// values are expanded from the environment, and they become `Secret`s: no error message, log line or
/// description of the result ever shows one. A key left empty (`timeout:`) takes its default.
///
/// Unknown sections and keys, values of the wrong kind and probes that cannot run are errors, each
/// with the line and column (both from 1) of the key or value at fault. An empty file, or one of
/// only comments, configures no probes.
public enum ConfigFile {
    /// Parses the text of a config file; `file` is the path used in errors.
    public static func parse(_ text: String, file: String, environment: [String: String]) throws -> WatchbillConfiguration {
        let root: Node?
        do {
            root = try YAML.compose(text)
        } catch let error as YAMLError {
            throw notYAML(error, text: text, file: file)
        }
        guard let root, !ConfigReader.isNull(root) else { return WatchbillConfiguration() }
        return try ConfigReader(file: file, environment: environment).configuration(root)
    }

    /// `$XDG_CONFIG_HOME/watchbill/config.yaml`, else `$HOME/.config/watchbill/config.yaml`. An empty
    /// or relative `XDG_CONFIG_HOME` is ignored, as the XDG base directory spec says.
    public static func defaultPath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return directory(xdg) + "/watchbill/config.yaml"
        }
        return directory(environment["HOME"] ?? "") + "/.config/watchbill/config.yaml"
    }

    /// `path` without trailing slashes (`/` itself becomes empty, so joining gives `/x`).
    static func directory(_ path: String) -> String {
        var path = Substring(path)
        while path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }

    /// libyaml's own words for the problem, never a snippet of the text (the line may hold a secret).
    static func notYAML(_ error: YAMLError, text: String, file: String) -> SourceError {
        let cause: String
        switch error.kind {
        case .composer where error.problem == "but found another document":
            cause = "a second document ('---'); the config is one document"
        default:
            cause = error.description
        }
        return SourceError(file: file, line: error.mark.line, column: error.mark.column, cause: "not YAML: \(cause)")
    }
}

/// A probe as read, before the file's `slo` section (which may come after it) is known.
struct ProbeDraft {
    var name: String
    var kind: ProbeSpec.Kind
    var interval: Double
    var timeout: Double
    var labels: [String: String]
    var slo: SLOPatch

    func finished(over slo: SLOTargets) -> ProbeSpec {
        ProbeSpec(name: name, kind: kind, interval: interval, timeout: timeout, labels: labels,
                  slo: self.slo.applied(to: slo))
    }
}

/// The keys an `slo` mapping sets; the rest come from whatever it is laid over.
struct SLOPatch: Equatable {
    var availability: Double?
    var latencyThreshold: Double?
    var latencyTarget: Double?
    var errorRate: Double?
    var window: Double?
    var minProbes: Int?

    func applied(to base: SLOTargets) -> SLOTargets {
        var t = base
        if let availability { t.availability = availability }
        if let latencyThreshold { t.latencyThreshold = latencyThreshold }
        if let latencyTarget { t.latencyTarget = latencyTarget }
        if let errorRate { t.errorRate = errorRate }
        if let window { t.window = window }
        if let minProbes { t.minProbes = minProbes }
        return t
    }
}

/// Walks the composed YAML tree; every error carries the mark of the node at fault.
struct ConfigReader {
    let file: String
    let environment: [String: String]

    static let sectionKeys = ["probes", "slo", "latency", "layouts", "wall", "notify", "incidents", "fleet", "severities", "target_labels"]
    static let fleetKeys = ["nodes", "prometheus", "alertmanager", "job", "every", "latency", "ca_file", "token_file",
                            "basic_auth_file", "token", "basic_auth"]
    static let fleetLatencyKeys = ["name", "histogram", "match", "by", "window", "latency_threshold"]
    static let incidentKeys = ["auto_open"]
    static let layoutKeys = ["panes", "compact"]
    static let wallKeys = ["cycle", "every"]
    static let probeKeys = ["name", "http", "tcp", "dns", "interval", "timeout", "labels", "slo"]
    static let httpKeys = ["url", "method", "expect_status", "body_contains", "headers", "follow_redirects",
                           "tls_verify", "ca_file", "reuse_connection", "max_body"]
    static let tcpKeys = ["address", "tls", "tls_verify", "ca_file"]
    static let dnsKeys = ["name"]
    static let sloKeys = ["availability", "latency_threshold", "latency_target", "error_rate", "window", "min_probes"]
    static let latencyKeys = ["shared_axis"]
    static let defaultInterval = 5.0
    static let defaultTimeout = 2.0

    func configuration(_ root: Node) throws -> WatchbillConfiguration {
        let sections = try entries(of: root, in: "the config file", allowed: Self.sectionKeys, word: "section")
        var drafts: [ProbeDraft] = []
        var slo = SLOPatch()
        var sharedAxis = false
        var layouts: [LayoutSpec] = []
        var wall: (cycle: [(String, Node)], every: Double?) = ([], nil)
        var notify = NotifySettings()
        var autoOpen = false
        var fleet = FleetSettings()
        var latencyDefaulted: [Int] = []
        var severityWords: [String: Severity] = [:]
        var targetLabels: [String: String]?
        for s in sections {
            switch s.name {
            case "target_labels":
                let labels = try stringMap(s.value, key: "target_labels")
                for name in labels.keys where !Self.isLabelName(name) || name.hasPrefix("__") {
                    throw fail(s.value, "target_labels: '\(name)' is not a label name Prometheus allows")
                }
                targetLabels = labels
            case "severities":
                for e in try entries(of: s.value, in: "severities", allowed: nil) {
                    guard let text = try string(e.value, key: e.name), let level = Severity(rawValue: text.uppercased()) else {
                        throw fail(e.value, "severity '\(e.name)' must map to P0, P1, P2 or P3")
                    }
                    severityWords[e.name.lowercased()] = level
                }
            case "probes": drafts = try probes(s.value)
            case "slo": slo = try sloPatch(s.value, in: "slo")
            case "layouts": layouts = try self.layouts(s.value)
            case "wall": wall = try self.wall(s.value)
            case "notify": notify = try self.notify(s.value)
            case "fleet": (fleet, latencyDefaulted) = try self.fleet(s.value)
            case "incidents":
                for e in try entries(of: s.value, in: "incidents", allowed: Self.incidentKeys) {
                    autoOpen = try bool(e.value, key: "auto_open") ?? autoOpen
                }
            default:
                for e in try entries(of: s.value, in: "latency", allowed: Self.latencyKeys) {
                    sharedAxis = try bool(e.value, key: "shared_axis") ?? sharedAxis
                }
            }
        }
        let known = LayoutSpec.all(layouts).map(\.name)
        for (name, node) in wall.cycle where !known.contains(name) {
            throw fail(node, "wall cycle names layout '\(name)', which is not defined (layouts: \(known.joined(separator: ", ")))")
        }
        let base = slo.applied(to: .sla)
        var c = WatchbillConfiguration(probes: drafts.map { $0.finished(over: base) }, slo: base,
                                       sharedLatencyAxis: sharedAxis, layouts: layouts,
                                       wallCycle: wall.cycle.map(\.0), wallEvery: wall.every)
        c.notify = notify
        c.autoOpenIncidents = autoOpen
        c.severityWords = severityWords
        c.targetLabels = targetLabels
        // A histogram without its own threshold is held to the file's slo section.
        for i in latencyDefaulted { fleet.latency[i].threshold = base.latencyThreshold }
        c.fleet = fleet
        return c
    }

    /// The fleet section, and which latency histograms take the slo section's threshold.
    func fleet(_ node: Node) throws -> (FleetSettings, [Int]) {
        var f = FleetSettings()
        var defaulted: [Int] = []
        for e in try entries(of: node, in: "fleet", allowed: Self.fleetKeys) {
            switch e.name {
            case "nodes":
                guard let list = e.value.sequence else { throw fail(e.value, "nodes must be a list of host:port or URLs") }
                for item in list {
                    guard let target = try string(item, key: "a node") else { throw fail(item, "empty node") }
                    guard !target.contains(" ") else { throw fail(item, "'\(target)' is not host:port or a URL") }
                    f.nodes.append(target)
                }
            case "prometheus": f.prometheus = try string(e.value, key: "prometheus")
            case "alertmanager": f.alertmanager = try string(e.value, key: "alertmanager")
            case "job": f.job = try string(e.value, key: "job")
            case "ca_file": f.caFile = try path(e.value, key: "ca_file")
            case "token_file": f.tokenFile = try path(e.value, key: "token_file")
            case "basic_auth_file": f.basicAuthFile = try path(e.value, key: "basic_auth_file")
            case "token", "basic_auth":
                // Config files end up in git: the secret stays in its own file.
                throw fail(e.key, "\(e.name) does not belong in the config file: put it in a file and name it with \(e.name)_file")
            case "latency":
                if Self.isNull(e.value) { continue }
                guard let list = e.value.sequence else {
                    throw fail(e.value, "latency must be a list ('- name: ...' items with a histogram)")
                }
                for (n, item) in list.enumerated() {
                    let (spec, threshold) = try latencyHistogram(item, number: n + 1)
                    if f.latency.contains(where: { $0.name == spec.name }) {
                        throw fail(item, "latency '\(spec.name)' is named twice")
                    }
                    if !threshold { defaulted.append(f.latency.count) }
                    f.latency.append(spec)
                }
            default: f.every = try duration(e.value, key: "every", positive: true)?.seconds
            }
        }
        return (f, defaulted)
    }

    /// One `fleet: latency:` item; the metric name, matchers and labels are checked here, so
    /// a typo is a line number at start, not an empty row.
    func latencyHistogram(_ node: Node, number: Int) throws -> (LatencyHistogramSpec, threshold: Bool) {
        guard node.mapping != nil else {
            throw fail(node, "latency #\(number) must be a mapping with a name and a histogram, found \(Self.describe(node))")
        }
        var spec = LatencyHistogramSpec(name: "", histogram: "")
        var hasThreshold = false
        let label = "latency #\(number)"
        for e in try entries(of: node, in: label, allowed: Self.fleetLatencyKeys) {
            switch e.name {
            case "name": spec.name = try string(e.value, key: "name") ?? ""
            case "histogram":
                var name = try string(e.value, key: "histogram") ?? ""
                for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
                guard Self.isMetricName(name) else {
                    throw fail(e.value, "'\(name)' is not a metric name (letters, digits, _ and :, not starting with a digit)")
                }
                spec.histogram = name
            case "match":
                var text = try string(e.value, key: "match") ?? ""
                while text.first == " " { text.removeFirst() }
                while text.last == " " { text.removeLast() }
                if text.hasPrefix("{") && text.hasSuffix("}") { text = String(text.dropFirst().dropLast()) }
                let hint = "(write label matchers such as job=\"api\", code!~\"5..\")"
                do {
                    guard case .selector = try WatchbillRules.Parser.parse("m{\(text)}") else {
                        throw fail(e.value, "match: label matchers only, not an expression \(hint)")
                    }
                } catch let error as ExprError {
                    throw fail(e.value, "match: \(error.cause) \(hint)")
                }
                spec.match = text
            case "by":
                var names: [String] = []
                for item in e.value.sequence.map(Array.init) ?? [e.value] { names.append(try string(item, key: "by") ?? "") }
                for n in names where !Self.isLabelName(n) || n == "le" {
                    throw fail(e.value, n == "le" ? "by: le is the buckets' label, not a way to split" : "by: '\(n)' is not a label name")
                }
                spec.by = names
            case "window":
                guard let w = try duration(e.value, key: "window", positive: true) else { continue }
                guard w.seconds >= 1, w.seconds == w.seconds.rounded() else { throw fail(e.value, "window must be whole seconds, like 5m") }
                guard w.seconds <= 366 * 86_400 else { throw fail(e.value, "window is at most a year, not \(w.text)") }
                spec.window = Int(w.seconds)
            default:
                guard let t = try duration(e.value, key: "latency_threshold", positive: true) else { continue }
                spec.threshold = t.seconds
                hasThreshold = true
            }
        }
        guard !spec.name.isEmpty else { throw fail(node, "\(label) needs a name (the row's title)") }
        guard !spec.histogram.isEmpty else {
            throw fail(node, "latency '\(spec.name)' needs a histogram: the metric's name, like http_request_duration_seconds")
        }
        return (spec, hasThreshold)
    }

    static func isMetricName(_ s: String) -> Bool {
        guard let first = s.first, !first.isNumber else { return false }
        return s.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ s: String) -> Bool {
        isMetricName(s) && !s.contains(":") && !s.hasPrefix("__")
    }

    // MARK: Layouts

    func layouts(_ node: Node) throws -> [LayoutSpec] {
        var result: [LayoutSpec] = []
        for e in try entries(of: node, in: "layouts", allowed: nil, word: "layout") {
            var spec = LayoutSpec(name: e.name, panes: [])
            for field in try entries(of: e.value, in: "layout '\(e.name)'", allowed: Self.layoutKeys) {
                switch field.name {
                case "compact": spec.compact = try bool(field.value, key: "compact") ?? false
                default:
                    guard let list = field.value.sequence else {
                        throw fail(field.value, "panes must be a list, like [cpu, memory, latency]")
                    }
                    for item in list {
                        guard let pane = try string(item, key: "a pane"), LayoutSpec.paneNames.contains(pane) else {
                            throw fail(item, "unknown pane '\(item.scalar?.string ?? "")' (panes: \(LayoutSpec.paneNames.joined(separator: ", ")))")
                        }
                        if !spec.panes.contains(pane) { spec.panes.append(pane) }
                    }
                }
            }
            if !spec.compact && !spec.panes.contains(where: { $0 != "processes" }) {
                throw fail(e.key, "layout '\(e.name)' shows no pane: list some under panes, or set compact: true")
            }
            result.append(spec)
        }
        return result
    }

    func wall(_ node: Node) throws -> (cycle: [(String, Node)], every: Double?) {
        var cycle: [(String, Node)] = []
        var every: Double?
        for e in try entries(of: node, in: "wall", allowed: Self.wallKeys) {
            switch e.name {
            case "every": every = try duration(e.value, key: "every", positive: true)?.seconds
            default:
                guard let list = e.value.sequence else { throw fail(e.value, "cycle must be a list of layout names") }
                for item in list {
                    guard let name = try string(item, key: "a layout name") else { throw fail(item, "empty layout name") }
                    cycle.append((name, item))
                }
            }
        }
        return (cycle, every)
    }

    // MARK: Probes

    func probes(_ node: Node) throws -> [ProbeDraft] {
        if Self.isNull(node) { return [] }
        guard let list = node.sequence else {
            throw fail(node, "'probes' must be a list ('- name: ...' items), found \(Self.describe(node))")
        }
        var firstLine: [String: Int] = [:]
        var drafts: [ProbeDraft] = []
        for (index, item) in list.enumerated() {
            drafts.append(try probe(item, number: index + 1, firstLine: &firstLine))
        }
        return drafts
    }

    func probe(_ node: Node, number: Int, firstLine: inout [String: Int]) throws -> ProbeDraft {
        guard let mapping = node.mapping else {
            throw fail(node, "probe #\(number) must be a mapping with a name and one of http, tcp, dns; found \(Self.describe(node))")
        }
        let label = mapping["name"].flatMap { Self.isNull($0) ? nil : $0.scalar?.string }
            .flatMap { $0.isEmpty ? nil : "probe '\($0)'" } ?? "probe #\(number)"
        var name: String?
        var kind: (key: String, kind: ProbeSpec.Kind)?
        var interval: (seconds: Double, text: String)?
        var timeout: (seconds: Double, text: String, node: Node)?
        var labels: [String: String] = [:]
        var slo = SLOPatch()
        for e in try entries(of: node, in: label, allowed: Self.probeKeys) {
            switch e.name {
            case "name":
                guard let text = try string(e.value, key: "name"), !text.isEmpty else {
                    throw fail(e.value, "\(label) has an empty name")
                }
                if text.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? false) }) {
                    throw fail(e.value, "a probe name must not contain line breaks or control characters")
                }
                if let first = firstLine[text] {
                    throw fail(e.value, "duplicate probe name '\(text)' (first on line \(first))")
                }
                firstLine[text] = e.value.mark?.line ?? 1
                name = text
            case "http", "tcp", "dns":
                if let kind {
                    throw fail(e.key, "\(label) has both \(kind.key) and \(e.name); give exactly one of http, tcp, dns")
                }
                switch e.name {
                case "http": kind = (e.name, .http(try http(e.value, key: e.key)))
                case "tcp": kind = (e.name, .tcp(try tcp(e.value, key: e.key)))
                default: kind = (e.name, .dns(try dns(e.value, key: e.key)))
                }
            case "interval":
                if let d = try duration(e.value, key: "interval", positive: true) {
                    guard d.seconds >= 0.05 && d.seconds <= 86_400 else { throw fail(e.value, "a probe's interval is 50ms to 1d, not \(d.text)") }
                    interval = d
                }
            case "timeout":
                if let d = try duration(e.value, key: "timeout", positive: true) {
                    guard d.seconds <= 3600 else { throw fail(e.value, "a probe's timeout is at most 1h, not \(d.text)") }
                    timeout = (d.seconds, d.text, e.value)
                }
            case "labels":
                labels = try stringMap(e.value, key: "labels")
            default:
                slo = try sloPatch(e.value, in: "the slo of \(label)")
            }
        }
        guard let name else { throw fail(node, "\(label) has no name") }
        guard let kind else { throw fail(node, "probe '\(name)' needs one of http, tcp, dns") }
        let intervalSeconds = interval?.seconds ?? Self.defaultInterval
        var timeoutSeconds = min(Self.defaultTimeout, intervalSeconds)
        if let timeout {
            if timeout.seconds > intervalSeconds {
                let than = interval.map { "interval \($0.text)" } ?? "the interval (5s by default)"
                throw fail(timeout.node, "timeout \(timeout.text) is longer than \(than)")
            }
            timeoutSeconds = timeout.seconds
        }
        return ProbeDraft(name: name, kind: kind.kind, interval: intervalSeconds, timeout: timeoutSeconds,
                          labels: labels, slo: slo)
    }

    func http(_ node: Node, key: Node) throws -> HTTPCheck {
        var check = HTTPCheck(url: "")
        var hasURL = false
        var headerNames: [String: String] = [:]
        for e in try entries(of: node, in: "http", allowed: Self.httpKeys) {
            switch e.name {
            case "url":
                guard let url = try string(e.value, key: "url") else { continue }
                if let problem = Values.urlProblem(url) { throw fail(e.value, "bad url: \(problem)") }
                check.url = url
                hasURL = true
            case "method":
                guard let method = try string(e.value, key: "method") else { continue }
                guard !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                    throw fail(e.value, "bad method '\(method)': uppercase letters only, such as GET or HEAD")
                }
                check.method = method
            case "expect_status":
                if let ranges = try statusRanges(e.value) { check.expectedStatus = ranges }
            case "body_contains":
                check.bodyContains = try string(e.value, key: "body_contains")
            case "headers":
                if Self.isNull(e.value) { continue }
                for h in try entries(of: e.value, in: "headers", allowed: nil) {
                    guard Values.isHeaderName(h.name) else {
                        throw fail(h.key, "bad header name '\(h.name)': letters, digits and !#$%&'*+-.^_`|~ only")
                    }
                    if let earlier = headerNames[h.name.lowercased()] {
                        throw fail(h.key, "header '\(h.name)' is given twice (also as '\(earlier)')")
                    }
                    headerNames[h.name.lowercased()] = h.name
                    check.headers.append(Header(name: h.name, value: Secret(try headerValue(h.value, name: h.name))))
                }
            case "follow_redirects":
                check.followRedirects = try bool(e.value, key: e.name) ?? check.followRedirects
            case "tls_verify":
                check.verifyTLS = try bool(e.value, key: e.name) ?? check.verifyTLS
            case "ca_file":
                check.caFile = try path(e.value, key: e.name)
            case "reuse_connection":
                check.reuseConnection = try bool(e.value, key: e.name) ?? check.reuseConnection
            default:
                guard let text = try string(e.value, key: "max_body") else { continue }
                guard let bytes = Values.byteCount(text) else {
                    throw fail(e.value, "bad max_body '\(text)': a number of bytes, such as 65536, 512B, 256KiB or 1MiB")
                }
                check.maxBodyBytes = bytes
            }
        }
        guard hasURL else { throw fail(key, "http needs a url") }
        return check
    }

    func tcp(_ node: Node, key: Node) throws -> TCPCheck {
        var check = TCPCheck(address: "")
        var hasAddress = false
        var tlsOnly: Node?
        for e in try entries(of: node, in: "tcp", allowed: Self.tcpKeys) {
            switch e.name {
            case "address":
                guard let address = try string(e.value, key: "address") else { continue }
                if let problem = Values.addressProblem(address) {
                    throw fail(e.value, "bad address '\(address)': \(problem)")
                }
                check.address = address
                hasAddress = true
            case "tls":
                check.tls = try bool(e.value, key: e.name) ?? check.tls
            case "tls_verify":
                check.verifyTLS = try bool(e.value, key: e.name) ?? check.verifyTLS
                tlsOnly = tlsOnly ?? e.key
            default:
                check.caFile = try path(e.value, key: e.name)
                tlsOnly = tlsOnly ?? e.key
            }
        }
        guard hasAddress else { throw fail(key, "tcp needs an address (host:port)") }
        if let tlsOnly, !check.tls {
            throw fail(tlsOnly, "\(tlsOnly.scalar?.string ?? "") applies only with tls: true")
        }
        return check
    }

    func dns(_ node: Node, key: Node) throws -> DNSCheck {
        var name: String?
        for e in try entries(of: node, in: "dns", allowed: Self.dnsKeys) {
            guard let text = try string(e.value, key: "name") else { continue }
            if let problem = Values.hostnameProblem(text) { throw fail(e.value, "bad name '\(text)': \(problem)") }
            name = text
        }
        guard let name else { throw fail(key, "dns needs a name") }
        return DNSCheck(name: name)
    }

    func sloPatch(_ node: Node, in context: String) throws -> SLOPatch {
        var patch = SLOPatch()
        for e in try entries(of: node, in: context, allowed: Self.sloKeys) {
            switch e.name {
            case "availability": patch.availability = try fraction(e.value, key: e.name) ?? patch.availability
            case "latency_target": patch.latencyTarget = try fraction(e.value, key: e.name) ?? patch.latencyTarget
            case "error_rate": patch.errorRate = try fraction(e.value, key: e.name) ?? patch.errorRate
            case "latency_threshold":
                patch.latencyThreshold = try duration(e.value, key: e.name, positive: true)?.seconds ?? patch.latencyThreshold
            case "window":
                patch.window = try duration(e.value, key: e.name, positive: true)?.seconds ?? patch.window
            default:
                guard let text = try string(e.value, key: e.name) else { continue }
                guard let n = Values.integer(text) else {
                    throw fail(e.value, "bad min_probes '\(text)': a whole number, such as 10")
                }
                patch.minProbes = n
            }
        }
        return patch
    }

    // MARK: Values

    func statusRanges(_ node: Node) throws -> [ClosedRange<Int>]? {
        if Self.isNull(node) { return nil }
        let items = node.sequence.map(Array.init) ?? [node]
        if items.isEmpty { throw fail(node, "expect_status is an empty list: no status would count as success") }
        return try items.map { item in
            guard let text = try string(item, key: "expect_status") else {
                throw fail(item, "expect_status has an empty item")
            }
            guard let range = Values.statusRange(text) else {
                throw fail(item, "bad status '\(text)' in expect_status: a code (200), a range (200-299) or a class (2xx), from 100 to 599")
            }
            return range
        }
    }

    /// The header's value with `${VAR}` expanded. No cause here quotes the value.
    func headerValue(_ node: Node, name: String) throws -> String {
        guard let scalar = node.scalar else {
            throw fail(node, "header '\(name)' must have a single value, found \(Self.describe(node))")
        }
        let value: String
        do {
            value = try Values.expand(scalar.string, environment: environment)
        } catch .unset(let variable) {
            throw fail(node, "header '\(name)': environment variable '\(variable)' is not set")
        } catch .malformed {
            throw fail(node, "header '\(name)': '${' must be followed by a variable name and '}' (write $$ for a literal $)")
        }
        if value.contains(where: { $0.isNewline || $0 == "\0" }) {
            throw fail(node, "header '\(name)': the value contains a line break")
        }
        return value
    }

    func duration(_ node: Node, key: String, positive: Bool) throws -> (seconds: Double, text: String)? {
        guard let text = try string(node, key: key) else { return nil }
        guard let seconds = Values.duration(text) else {
            throw fail(node, "bad duration '\(text)' for \(key): use 500ms, 5s, 2m, 1h, 30d, 1w, 1h30m or a number of seconds")
        }
        if positive && seconds <= 0 { throw fail(node, "\(key) must be longer than 0") }
        // What int64 nanoseconds hold, as Prometheus (Go) keeps durations: about 292 years.
        guard seconds.isFinite && seconds < WatchbillRules.Lexer.longestDuration else { throw fail(node, "\(key) \(text) is out of range") }
        return (seconds, text)
    }

    func fraction(_ node: Node, key: String) throws -> Double? {
        guard let text = try string(node, key: key) else { return nil }
        guard let value = Values.fraction(text) else {
            throw fail(node, "bad percentage '\(text)' for \(key): use a percentage such as 99.9% or a fraction between 0 and 1")
        }
        return value
    }

    func path(_ node: Node, key: String) throws -> String? {
        guard let text = try string(node, key: key) else { return nil }
        if text.isEmpty { throw fail(node, "\(key) is an empty path") }
        return text
    }

    func stringMap(_ node: Node, key: String) throws -> [String: String] {
        var map: [String: String] = [:]
        for e in try entries(of: node, in: key, allowed: nil) {
            guard let value = try string(e.value, key: "\(key) '\(e.name)'") else {
                throw fail(e.value, "\(key) '\(e.name)' has no value")
            }
            map[e.name] = value
        }
        return map
    }

    /// `true`/`false` (YAML's `yes`/`no`/`on`/`off` too); `nil` for an empty value.
    func bool(_ node: Node, key: String) throws -> Bool? {
        if Self.isNull(node) { return nil }
        guard let value = node.bool else {
            if node.scalar != nil { throw fail(node, "\(key) must be true or false") }
            throw fail(node, "\(key) must be true or false, found \(Self.describe(node))")
        }
        return value
    }

    /// A scalar's text (quoted or not); `nil` for an empty value (`key:`, `~`, `null`).
    func string(_ node: Node, key: String) throws -> String? {
        if Self.isNull(node) { return nil }
        guard let scalar = node.scalar else {
            throw fail(node, "\(key) must be a single value, found \(Self.describe(node))")
        }
        return scalar.string
    }

    // MARK: Structure

    struct Entry {
        var key: Node
        var name: String
        var value: Node
    }

    /// The pairs of a mapping (an empty value counts as an empty mapping), each key checked against
    /// `allowed` (`nil`: any key).
    func entries(of node: Node, in context: String, allowed: [String]?, word: String = "key") throws -> [Entry] {
        if Self.isNull(node) { return [] }
        guard let mapping = node.mapping else {
            throw fail(node, "\(context) must be a mapping (key: value lines), found \(Self.describe(node))")
        }
        return try mapping.map { key, value in
            guard let name = key.scalar?.string else {
                throw fail(key, "\(context) has a key that is not a name, but \(Self.describe(key))")
            }
            if let allowed, !allowed.contains(name) {
                throw fail(key, "unknown \(word) '\(name)' in \(context) (allowed: \(allowed.joined(separator: ", ")))")
            }
            if name.isEmpty || Self.isNull(key) { throw fail(key, "\(context) has an empty key") }
            return Entry(key: key, name: name, value: value)
        }
    }

    func fail(_ node: Node, _ cause: String) -> SourceError {
        SourceError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, cause: cause)
    }

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The kind of a node, never its text (it may be a secret).
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return isNull(node) ? "an empty value" : "a single value"
        }
    }
}
