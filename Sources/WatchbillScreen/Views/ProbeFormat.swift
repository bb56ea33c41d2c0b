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

    /// An error budget left: `87%`, `-40%`, and `<-999%` rather than a wide number when
    /// a young target's first failure dwarfs its budget.
    static func budget(_ left: Double?) -> String {
        guard let l = left, l.isFinite else { return "-" }
        return l < -9.99 ? "<-999%" : Format.percent(l, decimals: 0)
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
