import WatchbillCore
import WatchbillExposition

/// A node_exporter to scrape: `--node host:9100` or a full URL, or a line of a targets file.
public struct FleetTarget: Sendable, Equatable {
    /// How the fleet view names it until its node_exporter says its hostname: `host:port`.
    public var instance: String
    public var url: String

    /// `host:port`, `host` (port 9100), or an http(s) URL (path `/metrics` unless given).
    public init?(_ text: String) {
        let t = text.trimmedBlanks
        guard !t.isEmpty, !t.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        if t.hasPrefix("http://") || t.hasPrefix("https://") {
            let rest = t.drop { $0 != "/" }.dropFirst(2)
            let authority = rest.prefix { $0 != "/" }
            guard !authority.isEmpty else { return nil }
            // A password in the address stays out of the name shown.
            instance = String(authority.split(separator: "@").last ?? authority)
            url = rest.dropFirst(authority.count).isEmpty ? t + "/metrics" : t
        } else {
            guard !t.contains("/") else { return nil }
            let hasPort = t.split(separator: ":").count == 2 || (t.hasPrefix("[") && t.contains("]:"))
            instance = hasPort ? t : t + ":9100"
            url = "http://\(instance)/metrics"
        }
    }

    /// A targets file: one target a line; blank lines and `#` comments are skipped; a line
    /// that is not a target is an error with its line number.
    public static func file(_ text: String, path: String) throws(SourceError) -> [FleetTarget] {
        var out: [FleetTarget] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = (raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "").trimmedBlanks
            guard !line.isEmpty else { continue }
            guard let t = FleetTarget(line) else {
                throw SourceError(file: path, line: n + 1, cause: "\(line) is not host:port or an http(s) URL")
            }
            out.append(t)
        }
        return out
    }
}

/// Every scraped host: the last answer, the series its panes graph, and why it is down.
public struct Fleet: Sendable {
    public enum Status: Sendable, Equatable {
        /// Not scraped yet.
        case waiting
        case up
        /// The last scrapes timed out, but the host answered recently: its figures are
        /// that old, and it may only be slow (a loaded box, a long GC pause).
        case stale(String)
        /// The last scrape failed: why, in an on-call's words.
        case down(String)
    }

    public struct Host: Sendable {
        public let target: FleetTarget
        public var status: Status = .waiting
        public var latest: HostSnapshot?
        public var store: SeriesStore
        /// Wall clock of the last good scrape, and how long the last scrape took.
        public var lastGood: Double?
        public var scrapeSeconds: Double?
        /// The monotonic time of the last good scrape: staleness survives a wall clock step.
        var lastGoodTime: Double?
        var exporter = NodeExporterHost()

        /// The name on screen: the hostname the exporter gave, else `host:port`.
        public var name: String { latest?.host.hostname ?? target.instance }
    }

    public private(set) var hosts: [Host]
    /// Moves on every update, so the screen rebuilds its rows only then.
    public private(set) var generation = 0
    /// How long a host that times out stays STALE before it is DOWN: four scrapes, and
    /// never under a minute, so one slow moment on a busy box pages nobody.
    public let staleLimit: Double

    public init(targets: [FleetTarget], history: Double, interval: Double) {
        let capacity = max(2, Int((history / interval).rounded(.up)) + 1)
        staleLimit = max(60, interval * 4)
        hosts = targets.map { Host(target: $0, store: SeriesStore(capacity: capacity, retention: history)) }
    }

    /// One round of scrapes, in target order: parse, make snapshots, record them. A body
    /// that does not parse takes the host down with the line and cause.
    public mutating func update(_ results: [FetchResult], time: Double, wallClock: Double, seconds: Double) {
        for (i, result) in zip(hosts.indices, results) {
            hosts[i].scrapeSeconds = seconds
            switch result {
            case .failed(let why):
                // Slow is not dead: a timeout soon after an answer keeps the host STALE. One
                // already DOWN stays so (no flapping between the two).
                let wasDown = if case .down = hosts[i].status { true } else { false }
                if result.isTimeout, !wasDown, let good = hosts[i].lastGoodTime, time - good < staleLimit {
                    hosts[i].status = .stale(why)
                } else {
                    hosts[i].status = .down(why)
                }
            case .body(let bytes, let contentType):
                do {
                    let families = try Exposition.parse(bytes, source: hosts[i].target.instance,
                                                        format: ExpositionFormat(contentType: contentType))
                    guard families.contains(where: { $0.name.hasPrefix("node_") || $0.name.hasPrefix("windows_") }) else {
                        hosts[i].status = .down("not a node_exporter or windows_exporter (no node_ or windows_ metrics)")
                        continue
                    }
                    let snap = hosts[i].exporter.snapshot(families, time: time, wallClock: wallClock,
                                                          fallbackName: hosts[i].target.instance)
                    hosts[i].store.record(snap)
                    hosts[i].latest = snap
                    hosts[i].lastGood = wallClock
                    hosts[i].lastGoodTime = time
                    hosts[i].status = .up
                } catch {
                    hosts[i].status = .down("garbage: line \(error.line): \(error.cause)")
                }
            }
        }
        generation += 1
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and carriage returns.
    var trimmedBlanks: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
