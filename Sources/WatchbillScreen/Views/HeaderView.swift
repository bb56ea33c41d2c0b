/// The top line: which host, since when, what time, how often, and what watching costs.
enum HeaderView {
    static func render(_ state: AppState, into grid: inout Grid, y: Int) {
        grid.fill(Rect(x: 0, y: y, width: grid.width, height: 1), style: Style(.header))
        let snap = state.data.snapshot
        // (text, style, priority): when the line is too narrow, the lowest priorities go
        // first, and what stays keeps its place in the line.
        var parts: [(String, Style, Int)] = [(" watchbill", Style(.header, bold: true), 0)]
        if let fleet = state.fleet, state.fleetTableShown {
            parts.append(("fleet of \(fleet.rows.count)", Style(.header, bold: true), 1))
            if !fleet.source.isEmpty { parts.append((fleet.source, Style(.header), 6)) }
        } else if snap == nil, let id = state.fleetView.openHost {
            // A fleet host that has not answered yet: its address, at least.
            parts.append((id, Style(.header, bold: true), 1))
        } else if let snap {
            parts.append((snap.host.hostname, Style(.header, bold: true), 1))
            parts.append((snap.host.kernel, Style(.header), 7))
            parts.append(("up " + Format.duration(snap.uptimeSeconds), Style(.header), 4))
        }
        if !state.clock.isEmpty { parts.append((state.clock, Style(.header, bold: true), 2)) }
        // A fleet's hosts are scraped at their own interval.
        parts.append(("every " + Format.interval(state.fleet?.interval ?? state.interval), Style(.header), 3))
        if state.fleet == nil, let u = snap?.selfUsage {
            let cpu = u.cpuFraction.map { Format.percent($0) } ?? "-"
            let rss = u.rssBytes.map { Format.bytes($0) } ?? "-"
            parts.append(("self \(cpu) \(rss)", Style(.header), 5))
        }
        var right = grid.width
        if state.isStale {
            let age = " STALE \(Format.duration(state.sampleAge)) "
            right = grid.textRight(age, right: right, y: y, style: Style(.critical, bold: true, reverse: true)) - 1
        }
        if state.recordingTo != nil {
            right = grid.textRight(" REC ", right: right, y: y, style: Style(.critical, bold: true, reverse: true)) - 1
        }
        if let replay = state.replayStatus {
            right = grid.textRight(" \(replay) ", right: right, y: y, style: Style(.title, bold: true, reverse: true)) - 1
        }
        if let h = state.history {
            let ago = h.viewedAgo >= 1 ? " -" + rewound(h.viewedAgo) : " now"
            right = grid.textRight(" HISTORY \(h.viewedClock)\(ago) ", right: right, y: y,
                                   style: Style(.warn, bold: true, reverse: true)) - 1
        }
        if state.paused {
            right = grid.textRight(" PAUSED ", right: right, y: y, style: Style(.warn, bold: true, reverse: true))
        }
        var kept = parts
        func width(_ ps: [(String, Style, Int)]) -> Int { ps.reduce(0) { $0 + displayWidth($1.0) } + 2 * (ps.count - 1) }
        while kept.count > 1, width(kept) > right, let drop = kept.indices.max(by: { kept[$0].2 < kept[$1].2 }) {
            kept.remove(at: drop)
        }
        var x = 0
        for (i, p) in kept.enumerated() {
            x = grid.text(i == 0 ? p.0 : "  " + p.0, x: x, y: y, style: p.1, limit: right)
        }
    }

    /// `7s`, `4m12s`, `1h05m`: how far back, to the second while stepping by samples.
    static func rewound(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(min(max(0, seconds), 400 * 86_400))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(two(s % 60))s" }
        return "\(s / 3600)h\(two(s % 3600 / 60))m"
    }
}
