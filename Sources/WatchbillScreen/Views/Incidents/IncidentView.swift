import WatchbillIncidents

/// One incident full screen: severity, status and the stage strip; the clocks against the
/// response and recovery targets; impact; the timeline; linked alerts with their live
/// state; action items; root cause and fix.
enum IncidentView {
    static func render(_ i: Incident, _ state: AppState, into grid: inout Grid, area: Rect) {
        let g = state.glyphs
        let now = state.incidents.now, offset = state.incidents.utcOffset
        let inner = Box(title: "#\(i.id) \(i.severity.rawValue)  \(i.title)" + (state.incidents.asOf.map { "  as of \($0)" } ?? ""), focused: true, badge: i.status.rawValue)
            .render(into: &grid, area: area, glyphs: g)
        guard inner.height > 4, inner.width > 30 else { return }
        var y = inner.y
        // The stage strip: done stages muted, the current one reversed.
        var x = grid.text("stage ", x: inner.x, y: y, style: Style(.muted), limit: inner.maxX)
        let stages = IncidentStage.allCases
        let current = stages.firstIndex(of: i.stage) ?? 0
        let separator = g.asciiOnly ? " > " : " › "
        let full = stages.map(\.rawValue).joined(separator: separator)
        if displayWidth(full) <= inner.maxX - x {
            // The whole process: done stages green, the current one reversed.
            for (n, stage) in stages.enumerated() {
                let style = n == current ? Style(.title, bold: true, reverse: true) : Style(n < current ? .ok : .muted)
                x = grid.text(stage.rawValue, x: x, y: y, style: style, limit: inner.maxX)
                if n + 1 < stages.count { x = grid.text(separator, x: x, y: y, style: Style(.muted), limit: inner.maxX) }
            }
        } else {
            // Too narrow for all seven: where it is, and what comes next.
            x = grid.text("\(current + 1)/\(stages.count) ", x: x, y: y, style: Style(.muted), limit: inner.maxX)
            x = grid.text(i.stage.rawValue, x: x, y: y, style: Style(.title, bold: true, reverse: true), limit: inner.maxX)
            if current + 1 < stages.count {
                grid.text(separator + "next " + stages[current + 1].rawValue, x: x, y: y, style: Style(.muted), limit: inner.maxX)
            }
        }
        y += 1
        x = grid.text(i.severity.rawValue + " ", x: inner.x, y: y, style: Style(i.severity.role, bold: true),
                      limit: inner.maxX)
        grid.text(i.severity.meaning, x: x, y: y, style: Style(.muted), limit: inner.maxX)
        y += 1
        // Clocks against the SLA: respond within 15 minutes, recover within an hour.
        let clocks = "detected \(IncidentViewStyle.clock(i.detectedAt, offset: offset)), \(IncidentFormat.duration(now - i.detectedAt)) ago"
        x = grid.text(clocks, x: inner.x, y: y, style: Style(.text), limit: inner.maxX)
        func target(_ label: String, _ took: Double?, _ met: Bool?, _ goal: String) {
            let text = took.map { "  \(label) after \(IncidentFormat.duration($0)) (target \(goal))" } ?? "  not \(label) yet (target \(goal))"
            x = grid.text(text, x: x, y: y, style: Style(IncidentViewStyle.targetRole(met), bold: met == false), limit: inner.maxX)
        }
        target("acknowledged", i.timeToAcknowledge, i.meetsResponseTarget, "15m")
        if let ack = i.acknowledgedAt {
            x = grid.text(", \(IncidentFormat.duration(now - ack)) ago", x: x, y: y, style: Style(.muted), limit: inner.maxX)
        }
        target("restored", i.timeToRestore, i.meetsRecoveryTarget, "1h")
        y += 1
        var impact = ["owner \(i.owner ?? "-")"]
        if let n = i.impact.usersAffected { impact.append("users affected \(n)" + (i.impact.usersPercent.map { " (\(IncidentFormat.percent($0)))" } ?? "")) }
        if !i.impact.services.isEmpty { impact.append("services " + i.impact.services.joined(separator: ", ")) }
        impact.append("duration \(IncidentFormat.duration(i.duration(now: now)))")
        grid.text(impact.joined(separator: "  "), x: inner.x, y: y, style: Style(.text), limit: inner.maxX)
        y += 2
        let body = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y)
        let (left, right) = body.width >= 100 ? body.splitLeft(body.width * 3 / 5) : (body, Rect(x: body.x, y: body.maxY, width: 0, height: 0))
        renderTimeline(i, state, into: &grid, area: body.width >= 100 ? left : Rect(x: body.x, y: body.y, width: body.width, height: body.height / 2))
        let side = body.width >= 100 ? right : Rect(x: body.x, y: body.y + body.height / 2, width: body.width, height: body.height - body.height / 2)
        renderSide(i, state, into: &grid, area: Rect(x: side.x + (body.width >= 100 ? 2 : 0), y: side.y, width: max(0, side.width - 2), height: side.height))
        if state.incidentView.confirm != nil {
            grid.text(state.incidentView.confirmText + " y to confirm, any other key cancels", x: inner.x, y: inner.maxY - 1,
                      style: Style(.warn, bold: true, reverse: true), limit: inner.maxX)
        }
    }

    static func renderTimeline(_ i: Incident, _ state: AppState, into grid: inout Grid, area: Rect) {
        guard area.height > 1 else { return }
        let entries = i.timeline
        let visible = area.height - 1
        let top = max(0, entries.count - visible - state.incidentView.timelineFromEnd)
        let below = max(0, entries.count - top - visible)
        grid.text("timeline (\(i.timeline.count)" + (below > 0 ? ", \(below) newer below: End" : "") + ")", x: area.x, y: area.y,
                  style: Style(below > 0 ? .warn : .muted, bold: true), limit: area.maxX)
        for (n, e) in entries.dropFirst(top).prefix(visible).enumerated() {
            let y = area.y + 1 + n
            var x = grid.text(IncidentViewStyle.clock(e.at, offset: state.incidents.utcOffset), x: area.x, y: y, style: Style(.muted),
                              limit: area.maxX)
            x = grid.text(" " + Format.clip(e.author, 8, ellipsis: state.glyphs.ellipsis), x: x, y: y, style: Style(.muted), limit: area.maxX)
            let role: Role = e.kind == .note ? .text : .title
            grid.text(" " + i.describe(e), x: max(x, area.x + 15), y: y, style: Style(role, bold: e.kind != .note), limit: area.maxX)
        }
    }

    static func renderSide(_ i: Incident, _ state: AppState, into grid: inout Grid, area: Rect) {
        var y = area.y
        func line(_ text: String, _ style: Style) {
            guard y < area.maxY, area.width > 0 else { return }
            grid.text(text, x: area.x, y: y, style: style, limit: area.maxX)
            y += 1
        }
        line("alerts (\(i.linkedAlerts.count))", Style(.muted, bold: true))
        for (identity, link) in i.linkedAlerts.sorted(by: { $0.value.linkedAt < $1.value.linkedAt }) {
            // The live state, from the engine: firing, pending, resolved, or gone.
            let live = state.alerts.items.first { $0.labels.description == identity }
            let word = live.map { AlertFormat.phaseWord($0.phase) } ?? (link.resolvedAt == nil ? "gone" : "resolved")
            let role: Role = live?.phase == .firing ? .critical : .ok
            line("\(word) \(link.summary.isEmpty ? identity : link.summary)", Style(role))
        }
        y += 1
        line("action items (\(i.actionItems.filter { !$0.done }.count) open)", Style(.muted, bold: true))
        for (n, item) in i.actionItems.enumerated() {
            let box = item.done ? "[x]" : "[ ]"
            let due = item.deadline.isEmpty ? "" : " by \(item.deadline)"
            line("\(n + 1). \(box) \(item.owner.isEmpty ? "?" : item.owner): \(item.task)\(due)", Style(item.done ? .muted : .text))
        }
        y += 1
        line("root cause: \(i.rootCause ?? "-")", Style(.text))
        line("fix: \(i.permanentFix ?? "-")", Style(.text))
        if !i.mitigation.isEmpty { line("mitigation: " + i.mitigation.joined(separator: "; "), Style(.text)) }
        if let prevention = i.prevention { line("prevention: \(prevention)", Style(.text)) }
    }
}
