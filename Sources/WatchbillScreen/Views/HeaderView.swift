/// The top line: which host, since when, what time, how often, and what watching costs.
enum HeaderView {
    static func render(_ state: AppState, into grid: inout Grid, y: Int) {
        grid.fill(Rect(x: 0, y: y, width: grid.width, height: 1), style: Style(.header))
        let snap = state.data.snapshot
        var parts: [(String, Style)] = [(" watchbill ", Style(.header, bold: true))]
        if let snap {
            parts.append((snap.host.hostname, Style(.header, bold: true)))
            parts.append((snap.host.kernel, Style(.header)))
            parts.append(("up " + Format.duration(snap.uptimeSeconds), Style(.header)))
        }
        if !state.clock.isEmpty { parts.append((state.clock, Style(.header, bold: true))) }
        parts.append(("every " + Format.interval(state.interval), Style(.header)))
        if let u = snap?.selfUsage {
            let cpu = u.cpuFraction.map { Format.percent($0) } ?? "-"
            let rss = u.rssBytes.map { Format.bytes($0) } ?? "-"
            parts.append(("self \(cpu) \(rss)", Style(.header)))
        }
        var right = grid.width
        if state.paused {
            right = grid.textRight(" PAUSED ", right: grid.width, y: y, style: Style(.warn, bold: true, reverse: true))
        }
        var x = 0
        for (i, p) in parts.enumerated() {
            let text = i == 0 || i == 1 ? p.0 : "  " + p.0
            if x + displayWidth(text) > right { break }
            x = grid.text(text, x: x, y: y, style: p.1, limit: right)
        }
    }
}

/// The bottom line: the keys that matter most, and what could not be read.
enum FooterView {
    static func render(_ state: AppState, into grid: inout Grid, y: Int) {
        let hint = "q quit  ? help  p pause  +/- interval  Tab focus  Enter zoom"
        var limit = grid.width
        if let problems = state.data.snapshot?.problems, let first = problems.first {
            let more = problems.count > 1 ? " (+\(problems.count - 1))" : ""
            let room = max(0, grid.width - min(grid.width / 2, displayWidth(hint) + 2))
            let msg = Format.clip("! " + first + more, room, ellipsis: state.glyphs.ellipsis)
            limit = grid.textRight(msg, right: grid.width, y: y, style: Style(.warn)) - 1
        }
        grid.text(Format.clip(hint, max(0, limit), ellipsis: state.glyphs.ellipsis), x: 0, y: y,
                  style: Style(.muted), limit: limit)
    }
}
