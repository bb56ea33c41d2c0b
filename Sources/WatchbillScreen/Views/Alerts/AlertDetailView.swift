import WatchbillRules

/// One alert full screen: state and times, the expression and where it is defined, the
/// compared value over the last half hour with the threshold line, labels, annotations,
/// and who acknowledged or silenced it.
enum AlertDetailView {
    static func render(_ state: AppState, into grid: inout Grid, area: Rect) {
        let g = state.glyphs
        guard let a = state.currentAlert else {
            let inner = Box(title: "Alert", focused: true).render(into: &grid, area: area, glyphs: g)
            DashboardView.unavailable("this alert is no longer active (Esc goes back)", into: &grid, row: inner.row(0))
            return
        }
        let now = state.alerts.now
        let inner = Box(title: "\(a.severityLabel) \(a.name)", focused: true, badge: AlertFormat.phaseWord(a.phase))
            .render(into: &grid, area: area, glyphs: g)
        guard inner.height > 2, inner.width > 20 else { return }
        var y = inner.y
        // Labels and the people's words wrap over up to three lines: the label cut off is
        // the one that told this alert from the next.
        func line(_ label: String, _ text: String, _ role: Role = .text, bold: Bool = false, lines: Int = 3) {
            guard y < inner.maxY else { return }
            let x = grid.text(label, x: inner.x, y: y, style: Style(.muted), limit: inner.maxX)
            let left = max(x + 1, inner.x + 12)
            var wrapped = RunbookView.wrap([text], width: max(1, inner.maxX - left))
            if wrapped.count > lines {
                wrapped = Array(wrapped.prefix(lines - 1)) + [wrapped[(lines - 1)...].joined(separator: " ")]
            }
            for part in wrapped where y < inner.maxY {
                grid.text(part, x: left, y: y, style: Style(role, bold: bold), limit: inner.maxX)
                y += 1
            }
        }
        var times = "active \(AlertFormat.age(now - a.activeAt)) ago"
        if let f = a.firedAt { times += ", firing for \(AlertFormat.age((a.resolvedAt ?? now) - f))" }
        if let r = a.resolvedAt { times += ", resolved \(AlertFormat.age(now - r)) ago" }
        if a.holdFor > 0 { times += " (for \(Format.interval(a.holdFor)))" }
        line("state", AlertFormat.phaseWord(a.phase) + "  " + times, AlertFormat.phaseRole(a), bold: true, lines: 1)
        line("value", AlertFormat.value(a.value) + "  at " + ProbeDetailView.clockTime(a.lastSeen), lines: 1)
        if !a.summary.isEmpty { line("summary", a.summary, .title, bold: true) }
        if let d = a.annotations["description"], !d.isEmpty { line("description", d) }
        if let origin = a.origin {
            line("from", origin.description, .title)
            if let why = a.remoteSuppression { line("muted", why, .muted) }
        } else {
            line("expr", a.expr.split(separator: "\n").map { String($0).trimmingWhitespace }.joined(separator: " "))
            if !a.source.isEmpty { line("rule", a.source, .muted) }
        }
        line("labels", AlertFormat.labels(a.labels))
        if !a.runbook.isEmpty {
            let key = state.alertKeymap.bindings.first { $0.action == .runbook }?.key.label ?? "r"
            line("runbook", a.runbook + "  (\(key) opens it)")
        }
        if let ack = a.acknowledgement {
            line("acked", "by \(ack.by) \(AlertFormat.age(now - ack.at)) ago: \(ack.comment)", .ok)
        }
        for s in a.silencedBy {
            line("silenced", "by \(s.createdBy) until \(ProbeDetailView.clockTime(s.endsAt)) (\(s.id)): \(s.comment)", .muted)
        }
        let others = a.annotations.filter { !["summary", "description", "runbook_url"].contains($0.key) }
        for (k, v) in others.sorted(by: { $0.key < $1.key }) { line(k, v) }
        y += 1
        let chartArea = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y)
        if let history = state.alerts.history, history.labels == a.labels {
            renderGraph(history.graph, into: &grid, area: chartArea, glyphs: g)
        } else if chartArea.height > 0 {
            // A remote alert's expression runs over that system's series, not this dashboard's.
            let why = a.origin.map { "value history: in \($0)" } ?? "value history: computing"
            DashboardView.unavailable(why, into: &grid, row: chartArea.row(0))
        }
    }

    /// The compared value over time, with the threshold as a dashed line.
    static func renderGraph(_ graph: AlertGraph, into grid: inout Grid, area: Rect, glyphs: GlyphSet) {
        guard area.height >= 4, area.width > 20 else { return }
        let known = graph.values.compactMap { $0 }.filter(\.isFinite)
        // `> Inf` has a threshold no axis can hold.
        let threshold = graph.threshold.flatMap { $0.isFinite ? $0 : nil }
        let span = Format.interval(graph.step * Double(graph.values.count))
        grid.text("value over the last \(span)" + (graph.threshold.map { ", threshold \(AlertFormat.value($0))" } ?? ""),
                  x: area.x, y: area.y, style: Style(.muted, bold: true), limit: area.maxX)
        guard !known.isEmpty else {
            DashboardView.unavailable("no data in the window", into: &grid, row: area.row(1))
            return
        }
        let labelWidth = 9
        let chart = Rect(x: area.x + labelWidth, y: area.y + 1, width: area.width - labelWidth, height: area.height - 1)
        var lo = min(known.min()!, threshold ?? known.min()!)
        var hi = max(known.max()!, threshold ?? known.max()!)
        if hi == lo { hi += max(1, abs(hi) * 0.1); lo -= max(1, abs(lo) * 0.1) }
        grid.textRight(AlertFormat.value(hi), right: chart.x - 1, y: chart.y, style: Style(.muted))
        grid.textRight(AlertFormat.value(lo), right: chart.x - 1, y: chart.maxY - 1, style: Style(.muted))
        /// Rows up from the bottom for a value; nil where the scale overflows (values near ±1e308).
        func rows(_ x: Double, of height: Int) -> Int? {
            let r = (x - lo) / (hi - lo) * Double(height)
            return r.isFinite ? Int(r.rounded()) : nil
        }
        // Each column takes the newest value of its share of the points.
        let columns = chart.width
        for col in 0..<columns {
            let i = min(graph.values.count - 1, (col + 1) * graph.values.count / columns - 1)
            guard i >= 0, let v = graph.values[i], v.isFinite, let filled = rows(v, of: chart.height) else { continue }
            for r in 0..<max(1, min(chart.height, filled)) {
                grid.put(glyphs.asciiOnly ? "#" : "█", x: chart.x + col, y: chart.maxY - 1 - r, style: Style(.graphCPU))
            }
        }
        if let t = threshold, let up = rows(t, of: chart.height - 1) {
            let row = chart.maxY - 1 - up
            if row >= chart.y && row < chart.maxY {
                for cx in chart.x..<chart.maxX where grid[cx, row].scalar == " " {
                    grid.put(glyphs.asciiOnly ? "-" : "┄", x: cx, y: row, style: Style(.critical))
                }
            }
        }
    }
}
