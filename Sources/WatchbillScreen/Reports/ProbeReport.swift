import WatchbillCore
import WatchbillDomain

/// The probes in the `--format json` snapshot (docs/json.md): per target the last result
/// with its phases, percentiles for each window, and the SLO with budgets and burn rates.
public struct ProbePart: Encodable, Sendable {
    public var name: String
    public var kind: String
    public var target: String
    public var labels: [String: String]
    public var up: Bool?
    public var last: LastPart?
    public var windows: [String: WindowPart]
    public var slo: SLOPart
    public var certificateDaysLeft: Double?
    public var recentErrors: [ErrorPart]

    public struct LastPart: Encodable, Sendable {
        public var timeUnixSeconds: Double
        public var durationSeconds: Double
        public var error: String?
        public var message: String?
        public var httpStatus: Int?
        public var bytes: Int
        public var truncated: Bool
        public var dnsSeconds: Double
        public var connectSeconds: Double
        public var tlsSeconds: Double
        public var firstByteSeconds: Double
        public var transferSeconds: Double
    }

    public struct WindowPart: Encodable, Sendable {
        public var probes: Int
        public var successes: Int
        public var errorRatio: Double?
        public var p50Seconds: Double?
        public var p90Seconds: Double?
        public var p95Seconds: Double?
        public var p99Seconds: Double?
        public var p999Seconds: Double?
        public var maxSeconds: Double?
    }

    public struct SLIPart: Encodable, Sendable {
        public var value: Double?
        public var objective: Double
        public var budgetLeft: Double?
        /// Keyed by window: "5m", "30m", "1h", "2h", "6h", "1d", "3d".
        public var burnRates: [String: Double]
        public var firing: [String]
    }

    public struct SLOPart: Encodable, Sendable {
        public var status: String
        public var windowSeconds: Double
        public var probes: Int
        public var errorRatio: Double?
        public var latencyThresholdSeconds: Double
        public var availability: SLIPart
        public var latency: SLIPart
    }

    public struct ErrorPart: Encodable, Sendable {
        public var timeUnixSeconds: Double
        public var error: String
        public var message: String
    }

    /// `windows` holds the same target summarised over 1m, 5m and 1h.
    public init(_ windows: [ProbeSummary]) {
        let p = windows[0]
        name = p.spec.name
        kind = p.spec.kindName
        target = p.spec.target
        labels = p.spec.labels
        up = p.isUp
        last = p.last.map {
            LastPart(timeUnixSeconds: $0.time, durationSeconds: $0.duration, error: $0.error?.rawValue,
                     message: $0.message.isEmpty ? nil : $0.message, httpStatus: $0.status, bytes: $0.bytes,
                     truncated: $0.truncated, dnsSeconds: $0.phases.dns, connectSeconds: $0.phases.connect,
                     tlsSeconds: $0.phases.tls, firstByteSeconds: $0.phases.firstByte, transferSeconds: $0.phases.transfer)
        }
        var parts: [String: WindowPart] = [:]
        for w in windows {
            let l = w.latency, has = l.count > 0
            parts[w.window.rawValue] = WindowPart(
                probes: l.probes, successes: l.count, errorRatio: w.errorRate,
                p50Seconds: has ? l.p50 : nil, p90Seconds: has ? l.p90 : nil, p95Seconds: has ? l.p95 : nil,
                p99Seconds: has ? l.p99 : nil, p999Seconds: has ? l.p999 : nil, maxSeconds: has ? l.max : nil)
        }
        self.windows = parts
        func sli(_ r: SLIReport) -> SLIPart {
            SLIPart(value: r.value, objective: r.objective, budgetLeft: r.budgetLeft,
                    burnRates: Dictionary(uniqueKeysWithValues: r.burnRates.map { (spanLabel($0.key), $0.value) }),
                    firing: r.firing.map { "\($0.name) \($0.severity)" })
        }
        slo = SLOPart(status: p.slo.status.rawValue, windowSeconds: p.spec.slo.window, probes: p.slo.probes,
                      errorRatio: p.slo.errorRate, latencyThresholdSeconds: p.spec.slo.latencyThreshold,
                      availability: sli(p.slo.availability), latency: sli(p.slo.latency))
        certificateDaysLeft = p.certificateDaysLeft
        recentErrors = p.recentErrors.map { ErrorPart(timeUnixSeconds: $0.time, error: $0.error?.rawValue ?? "other", message: $0.message) }
    }
}

/// The probes as text lines for `--once`.
public enum ProbeText {
    public static func lines(_ probes: [ProbeSummary]) -> [String] {
        guard !probes.isEmpty else { return [] }
        var out = ["", "Probes (last result; SLO over its window)"]
        let nameWidth = probes.map { displayWidth($0.spec.name) }.max() ?? 4
        for p in probes {
            let (word, _) = ProbeFormat.upDown(p)
            var line = Format.padRight(p.spec.name, nameWidth) + "  " + Format.padRight(word, 4)
            if let last = p.last {
                line += "  " + ProbeFormat.latency(last.duration)
                if let status = last.status { line += "  HTTP \(status)" }
                if let e = last.error { line += "  \(e.rawValue): \(last.message)" }
                let ph = last.phases
                if last.succeeded {
                    line += "  (dns \(ProbeFormat.latency(ph.dns)), connect \(ProbeFormat.latency(ph.connect))"
                        + (ph.tls > 0 ? ", tls \(ProbeFormat.latency(ph.tls))" : "")
                        + (ph.firstByte > 0 ? ", first byte \(ProbeFormat.latency(ph.firstByte))" : "") + ")"
                }
            }
            if let d = p.certificateDaysLeft { line += "  cert \(Format.fixed(d, 0))d" }
            line += "  SLO \(p.slo.status.rawValue)"
            out.append(line)
        }
        return out
    }
}
