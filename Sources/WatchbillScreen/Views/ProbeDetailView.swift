import WatchbillCore
import WatchbillDomain

/// One target full screen: where the time goes (the last probe's phases as a stacked bar),
/// percentile bands over time, the SLO in numbers, and the recent failures with their class.
enum ProbeDetailView {
    static func render(_ state: AppState, into grid: inout Grid, area: Rect) {
        let probes = state.shown.probes
        let g = state.glyphs
        guard !probes.isEmpty else { return }
        let p = probes[min(state.probeView.selected, probes.count - 1)]
        let (word, role) = ProbeFormat.upDown(p)
        // A `--probe` target is named by its URL: say it once.
        let sameAsName = p.spec.target == p.spec.name || p.spec.target == p.spec.name + "/"
        let inner = Box(title: sameAsName ? p.spec.name : "\(p.spec.name)  \(p.spec.target)", focused: true, badge: word)
            .render(into: &grid, area: area, glyphs: g)
        guard inner.height > 2, inner.width > 20 else { return }
        var y = inner.y
        // Line 1: what it is and how it is doing.
        var facts = ["\(p.spec.kindName) every \(Format.interval(p.spec.interval)), timeout \(Format.interval(p.spec.timeout))"]
        if let s = p.last?.status { facts.append("HTTP \(s)") }
        if let days = p.certificateDaysLeft { facts.append("certificate \(Format.fixed(days, 0)) days left") }
        if !p.spec.labels.isEmpty { facts.append(p.spec.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) }
        var x = grid.text(word + " ", x: inner.x, y: y, style: Style(role, bold: true), limit: inner.maxX)
        x = grid.text(facts.joined(separator: "  "), x: x, y: y, style: Style(.text), limit: inner.maxX)
        if let days = p.certificateDaysLeft, days < 14 {
            grid.textRight(days < 3 ? " CERT EXPIRES " : " cert expiring ", right: inner.maxX, y: y,
                           style: Style(days < 3 ? .critical : .warn, bold: true, reverse: true), minX: x)
        }
        y += 2
        // Line 2: the window's percentiles.
        let l = p.latency
        let pairs: [(String, Double?)] = [("p50", l.p50), ("p90", l.p90), ("p95", l.p95), ("p99", l.p99),
                                          ("p99.9", l.p999), ("max", l.max)]
        x = grid.text("\(p.window.rawValue) (\(l.count) ok, \(l.failures) failed)", x: inner.x, y: y, style: Style(.muted, bold: true), limit: inner.maxX)
        for (name, v) in pairs {
            x = grid.text("  \(name) ", x: x, y: y, style: Style(.muted), limit: inner.maxX)
            x = grid.text(l.count > 0 ? ProbeFormat.latency(v) : "-", x: x, y: y,
                          style: Style(ProbeFormat.latencyRole(l.count > 0 ? v : nil, p.spec.slo), bold: true), limit: inner.maxX)
        }
        x = grid.text("  err ", x: x, y: y, style: Style(.muted), limit: inner.maxX)
        grid.text(p.errorRate.map { Format.percent($0, decimals: 2) } ?? "-", x: x, y: y,
                  style: Style(ProbeFormat.errorRole(p.errorRate, p.spec.slo), bold: true), limit: inner.maxX)
        y += 2
        // The phase bar.
        if let last = p.lastSuccess ?? p.last {
            renderPhases(last, glyphs: g, into: &grid, row: Rect(x: inner.x, y: y, width: inner.width, height: 2))
            y += 3
        }
        let remaining = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y)
        guard remaining.height > 3 else { return }
        // Bands on the left, SLO and errors on the right when wide; stacked when narrow.
        let wide = remaining.width >= 100
        let (bandArea, rightArea) = wide ? remaining.splitLeft(remaining.width / 2) : remaining.splitTop(remaining.height / 2)
        renderBands(p, glyphs: g, into: &grid, area: bandArea)
        let (sloArea, errorArea) = rightArea.splitTop(min(rightArea.height / 2, 6))
        renderSLO(p, into: &grid, area: Rect(x: sloArea.x + (wide ? 2 : 0), y: sloArea.y, width: sloArea.width - (wide ? 2 : 0), height: sloArea.height))
        renderErrors(p, into: &grid, area: Rect(x: errorArea.x + (wide ? 2 : 0), y: errorArea.y, width: errorArea.width - (wide ? 2 : 0), height: errorArea.height), glyphs: g)
    }

    static let phaseRoles: [Role] = [.phaseDNS, .phaseConnect, .phaseTLS, .phaseFirstByte, .phaseTransfer]
    static let phaseNames = ["DNS", "connect", "TLS", "first byte", "transfer"]
    /// Without block glyphs, each phase's cells carry its initial, so the bar still reads.
    static let phaseLetters: [Unicode.Scalar] = ["D", "C", "T", "B", "X"]

    /// `DNS 0.4ms  connect 0.1ms  TLS 12ms  first byte 301ms  transfer 0.2ms` over a bar whose
    /// segments are proportional to the phases.
    static func renderPhases(_ r: ProbeResult, glyphs: GlyphSet, into grid: inout Grid, row: Rect) {
        let ph = r.phases
        let values = [ph.dns, ph.connect, ph.tls, ph.firstByte, ph.transfer]
        // A recording may hold any number: a phase that is not a positive finite time draws nothing.
        let drawn = values.map { $0.isFinite && $0 > 0 ? $0 : 0 }
        let total = max(drawn.reduce(0, +), 1e-9)
        var x = grid.text("last probe \(ProbeFormat.latency(r.duration))" + (r.succeeded ? "" : " failed") + ":",
                          x: row.x, y: row.y, style: Style(.muted, bold: true), limit: row.maxX)
        for (i, v) in values.enumerated() where v > 0 || i == 0 {
            x = grid.text("  " + phaseNames[i] + " ", x: x, y: row.y, style: Style(phaseRoles[i], bold: true), limit: row.maxX)
            x = grid.text(ProbeFormat.latency(v), x: x, y: row.y, style: Style(.text), limit: row.maxX)
        }
        guard row.height > 1 else { return }
        let width = row.width
        var start = 0.0
        for (i, v) in drawn.enumerated() where v > 0 && total.isFinite {
            let from = min(width, Int((start / total * Double(width)).rounded()))
            start += v
            let to = min(width, max(from + 1, Int((min(start, total) / total * Double(width)).rounded())))
            for cx in from..<min(to, width) {
                grid.put(glyphs.asciiOnly ? phaseLetters[i] : "█", x: row.x + cx, y: row.y + 1, style: Style(phaseRoles[i]))
            }
        }
    }

    /// p50, p95 and p99 per slice as three layered columns, with the threshold's level.
    static func renderBands(_ p: ProbeSummary, glyphs: GlyphSet, into grid: inout Grid, area: Rect) {
        let step = p.window == .oneHour ? "5m" : "10s"
        grid.text("percentiles per \(step): p50 p95 p99", x: area.x, y: area.y, style: Style(.muted, bold: true), limit: area.maxX)
        let chart = Rect(x: area.x + 7, y: area.y + 1, width: area.width - 7, height: area.height - 1)
        guard chart.height >= 2, chart.width >= 4 else { return }
        let bands = Array(p.bands.suffix(chart.width))
        let top = Graph.niceCeiling(max(bands.compactMap { $0?.p99 }.max() ?? 0, p.spec.slo.latencyThreshold * 1.1), minimum: 0.01)
        grid.textRight(ProbeFormat.latency(top), right: chart.x - 1, y: chart.y, style: Style(.muted), minX: area.x)
        grid.textRight("0", right: chart.x - 1, y: chart.maxY - 1, style: Style(.muted), minX: area.x)
        let levels = chart.height
        func height(_ v: Double) -> Int { Int((min(1, v / top) * Double(levels)).rounded(.up)) }
        let thresholdRow = chart.maxY - height(p.spec.slo.latencyThreshold)
        if thresholdRow >= chart.y {
            grid.textRight(ProbeFormat.latency(p.spec.slo.latencyThreshold), right: chart.x - 1, y: thresholdRow,
                           style: Style(.critical), minX: area.x)
        }
        let bandWidth = max(1, chart.width / max(1, bands.count))
        for (i, b) in bands.enumerated() {
            guard let b else { continue }
            for (v, role) in [(b.p99, Role.latencyP99), (b.p95, .latencyP95), (b.p50, .latencyP50)] {
                let h = height(v)
                for dy in 0..<h {
                    for dx in 0..<bandWidth where i * bandWidth + dx < chart.width {
                        grid.put(glyphs.asciiOnly ? (role == .latencyP50 ? "#" : role == .latencyP95 ? "+" : ".") : "█",
                                 x: chart.x + i * bandWidth + dx, y: chart.maxY - 1 - dy, style: Style(role))
                    }
                }
            }
        }
        if thresholdRow >= chart.y && thresholdRow < chart.maxY {
            for cx in chart.x..<chart.maxX where grid[cx, thresholdRow].scalar == " " {
                grid.put(glyphs.asciiOnly ? "-" : "┄", x: cx, y: thresholdRow, style: Style(.critical))
            }
        }
    }

    static func renderSLO(_ p: ProbeSummary, into grid: inout Grid, area: Rect) {
        let r = p.slo, slo = p.spec.slo
        let lines: [(String, String, Role)] = [
            ("status", ProbeFormat.status(r) + " over \(spanLabel(slo.window)), \(r.probes) probe\(r.probes == 1 ? "" : "s")"
                + (r.status == .noData ? " (\(slo.minProbes) needed to judge)" : ""),
             ProbeFormat.statusRole(r.status)),
            ("availability", "\(ProbeFormat.sli(r.availability.value)) of \(ProbeFormat.sli(slo.availability)), budget left "
                + ProbeFormat.budget(r.availability.budgetLeft, r),
             ProbeFormat.budgetRole(r.availability.budgetLeft)),
            ("latency", "\(ProbeFormat.sli(r.latency.value)) under \(ProbeFormat.latency(slo.latencyThreshold)) of "
                + "\(ProbeFormat.sli(slo.latencyTarget)), budget left " + ProbeFormat.budget(r.latency.budgetLeft, r),
             ProbeFormat.budgetRole(r.latency.budgetLeft)),
            ("burn", SLOReport.burnWindows.map { w in "\(spanLabel(w)) \(ProbeFormat.burn(SLOPane.worst(r, w)))" }.joined(separator: " "),
             ProbeFormat.burnRole(SLOPane.worst(r, 3600))),
            ("firing", (r.availability.firing.map { "availability \($0.name) \($0.severity)" }
                + r.latency.firing.map { "latency \($0.name) \($0.severity)" }).joined(separator: ", ").nonEmpty ?? "none",
             r.availability.firing.isEmpty && r.latency.firing.isEmpty ? .ok : .critical),
        ]
        for (i, l) in lines.enumerated() where i < area.height {
            let x = grid.text(l.0, x: area.x, y: area.y + i, style: Style(.muted), limit: area.maxX)
            grid.text(l.1, x: max(x + 1, area.x + 13), y: area.y + i, style: Style(l.2, bold: i == 0), limit: area.maxX)
        }
    }

    static func renderErrors(_ p: ProbeSummary, into grid: inout Grid, area: Rect, glyphs: GlyphSet) {
        guard area.height > 0 else { return }
        grid.text("recent failures", x: area.x, y: area.y, style: Style(.muted, bold: true), limit: area.maxX)
        guard !p.recentErrors.isEmpty else {
            if area.height > 1 { grid.text("none", x: area.x, y: area.y + 1, style: Style(.ok), limit: area.maxX) }
            return
        }
        for (i, e) in p.recentErrors.prefix(area.height - 1).enumerated() {
            let y = area.y + 1 + i
            var x = grid.text(clockTime(e.time), x: area.x, y: y, style: Style(.muted), limit: area.maxX)
            x = grid.text(" " + Format.padRight(e.error?.rawValue ?? "?", 13), x: x, y: y, style: Style(.critical, bold: true), limit: area.maxX)
            grid.text(" " + Format.clip(e.message, area.maxX - x - 1, ellipsis: glyphs.ellipsis), x: x, y: y, style: Style(.text), limit: area.maxX)
        }
    }

    /// `HH:MM:SS` UTC of a wall-clock time (the screen model has no time zone; the header's
    /// clock is local, so the column says UTC).
    static func clockTime(_ t: Double) -> String {
        guard t.isFinite, abs(t) < 1e15 else { return "--:--:--Z" }
        let s = (Int(t) % 86_400 + 86_400) % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(s / 3600)):\(two(s % 3600 / 60)):\(two(s % 60))Z"
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
