import WatchbillCore
import WatchbillDomain

/// SLO burn rates per target and SLI, as the alert rules read them (the probe loop
/// publishes them every 15 seconds from its 30-day counters; a replay from its book).
public struct BurnRates: Sendable {
    public var spec: ProbeSpec
    public var sli: String
    public var rates: [Double: Double]

    public static func of(specs: [ProbeSpec], counters: [String: SLICounters], at t: Double) -> [BurnRates] {
        specs.flatMap { spec -> [BurnRates] in
            guard let c = counters[spec.name] else { return [] }
            let r = SLOReport(counters: c, targets: spec.slo, at: t)
            return [BurnRates(spec: spec, sli: "availability", rates: r.availability.burnRates),
                    BurnRates(spec: spec, sli: "latency", rates: r.latency.burnRates)]
        }
    }
}
