import WatchbillCore
import WatchbillDomain

/// How the probe panes write latencies and judge them against a target's SLO.
enum ProbeFormat {
    /// `0.8ms`, `42ms`, `1.25s`: milliseconds below a second, as on-call dashboards do.
    static func latency(_ seconds: Double?) -> String {
        guard let s = seconds, s.isFinite else { return "-" }
        if s < 0.01 { return Format.fixed(s * 1000, 1) + "ms" }
        if s < 1 { return Format.fixed(s * 1000, 0) + "ms" }
        return Format.fixed(s, s < 10 ? 2 : 1) + "s"
    }

    /// Two decimals for SLIs near 100 % (99.95 %), where one decimal would round a breach away.
    static func sli(_ fraction: Double?) -> String {
        guard let f = fraction, f.isFinite else { return "-" }
        if f >= 1 { return "100%" }
        return Format.fixed(f * 100, f >= 0.99 ? 2 : 1) + "%"
    }

    static func burn(_ rate: Double?) -> String {
        guard let r = rate, r.isFinite else { return "-" }
        return (r < 10 ? Format.fixed(r, 1) : Format.fixed(r, 0)) + "x"
    }

    /// Latency against the threshold: red over it, amber within 80 % of it.
    static func latencyRole(_ seconds: Double?, _ slo: SLOTargets) -> Role {
        guard let s = seconds, s.isFinite else { return .muted }
        return s >= slo.latencyThreshold ? .critical : (s >= 0.8 * slo.latencyThreshold ? .warn : .ok)
    }

    static func errorRole(_ rate: Double?, _ slo: SLOTargets) -> Role {
        guard let r = rate else { return .muted }
        return r > slo.errorRate ? .critical : (r > 0 ? .warn : .ok)
    }

    static func availabilityRole(_ value: Double?, objective: Double) -> Role {
        guard let v = value else { return .muted }
        return v < objective ? .critical : .ok
    }

    static func budgetRole(_ left: Double?) -> Role {
        guard let l = left else { return .muted }
        return l <= 0 ? .critical : (l < SLOReport.lowBudget ? .warn : .ok)
    }

    static func burnRole(_ rate: Double?) -> Role {
        guard let r = rate else { return .muted }
        return r >= 14.4 ? .critical : (r >= 1 ? .warn : .ok)
    }

    static func statusRole(_ s: SLOStatus) -> Role {
        switch s {
        case .ok: return .ok
        case .atRisk: return .warn
        case .breached: return .critical
        case .noData: return .muted
        }
    }

    /// A failed probe in a narrow column: `HTTP 503`, `timeout`, `refused`.
    static func failure(_ r: ProbeResult) -> String {
        switch r.error {
        case .httpStatus?: return r.status.map { "HTTP \($0)" } ?? "status"
        case .bodyMismatch?: return "body"
        case let e?: return e.rawValue
        case nil: return ""
        }
    }

    /// An error budget left: `87%`, and `spent` once nothing is left: a young target's
    /// first failure can overspend a month's budget many times, and `-9900%` or a clamp
    /// like `<-999%` reads as a broken number. `-` until the window holds enough probes
    /// to judge (the status says `TOO FEW`).
    static func budget(_ left: Double?, _ report: SLOReport) -> String {
        guard report.status != .noData, let l = left, l.isFinite else { return "-" }
        return l <= 0 ? "spent" : Format.percent(l, decimals: 0)
    }

    /// The status word the SLO rows, the title and the compact line share: `OK`, `AT RISK`,
    /// `BREACHED`, `NO DATA` before any probe, `TOO FEW` before `min_probes`.
    static func status(_ report: SLOReport) -> String {
        report.status == .noData && report.probes > 0 ? "TOO FEW" : report.status.rawValue
    }

    /// `1 BREACHED 2 AT RISK`: the title's count, in the rows' words.
    static func troubled(_ probes: [ProbeSummary]) -> String {
        let breached = probes.filter { $0.slo.status == .breached }.count
        let atRisk = probes.filter { $0.slo.status == .atRisk }.count
        return [breached > 0 ? "\(breached) BREACHED" : nil, atRisk > 0 ? "\(atRisk) AT RISK" : nil]
            .compactMap { $0 }.joined(separator: " ")
    }

    /// UP, DOWN, or `...` before the first probe ends.
    static func upDown(_ p: ProbeSummary) -> (String, Role) {
        guard let up = p.isUp else { return ("...", .muted) }
        return up ? ("UP", .ok) : ("DOWN", .critical)
    }
}

/// Rows of a probe table around the selection: the first row shown, so the selected one
/// stays on screen in a long list.
func probeWindowTop(selected: Int, count: Int, visible: Int) -> Int {
    guard visible > 0, count > visible else { return 0 }
    return max(0, min(selected - visible / 2, count - visible))
}

/// Reverses the selected row's cells, as the Processes pane does.
func highlightRow(_ y: Int, in area: Rect, grid: inout Grid) {
    guard y >= area.y, y < area.maxY else { return }
    for x in area.x..<area.maxX {
        var c = grid[x, y]
        c.style.reverse = true
        grid[x, y] = c
    }
}
