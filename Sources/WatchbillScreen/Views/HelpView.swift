/// The `?` overlay, generated from the keymap.
enum HelpView {
    static func render(_ state: AppState, into grid: inout Grid) {
        // The standard keys, then the focused view's section, then the other sections that
        // still fit; a section too long to share the screen (the incident keys) alone.
        let processes = [("", "In the Processes pane:")] + state.processKeymap.helpLines
        let probes = [("", "In the Latency and SLO panes:")] + state.probeKeymap.helpLines
        let alerts = [("", "In the Alerts pane:")] + state.alertKeymap.helpLines
        let incidents = [("", "In the incident list and an incident:")] + state.incidentKeymap.helpLines
        // The fleet table's keys come first while it is on screen.
        let fleet: [(keys: String, summary: String)] = state.fleetTableShown
            ? [("", "In the fleet table:")] + state.fleetKeymap.helpLines.map { line in
                (line.keys, line.summary.replacingProcessWords) }
                + [("STALE", "no fresh answer (a slow host, Prometheus down): figures aging"),
                   ("Hosts", "node_exporter on Linux, macOS, BSD, Solaris; windows_exporter")]
                + (state.fleet?.latency == nil ? [] : [("Latency", "p50/p95/p99 from Prometheus (config fleet: latency:)")])
            : []
        // A replay's own keys (watchbill replay FILE) come before the panes' while it plays.
        let replay: [(keys: String, summary: String)] = state.replayStatus == nil ? [] : [
            ("", "Replaying a recording:"), ("Space", "pause or play"), ("Left Right", "a minute back, a minute on"),
            ("[ ]", "slower, faster (0.25x to 64x)"), ("g G", "the start, the end"),
            ("", "read-only: ages on the recording's clock; no incident, silence or ack is written"),
        ]
        let history: [(keys: String, summary: String)] = state.history == nil ? [] : [
            ("", "Rewinding (the header says HISTORY):"), ("Left Right", "a sample back, a sample on"),
            ("PgUp PgDn", "a minute back, a minute on"), ("g G Home End", "the oldest sample held, now"),
            ("Esc H", "back to live"),
            ("", "alerts and incidents as they stood then; read-only until H returns to now"),
        ]
        let focused = state.incidentScreenOpen ? 3 : state.focus == .alerts ? 2 : Pane.services.contains(state.focus) ? 1 : 0
        let sections = [processes, probes, alerts, incidents]
        let order = [focused] + sections.indices.filter { $0 != focused }
        var lines = fleet + history + replay + state.keymap.helpLines + sections[focused]
        if lines.count + 3 > grid.height {
            lines = fleet + history + replay + sections[focused]
        } else {
            for i in order.dropFirst() where lines.count + sections[i].count + 3 <= grid.height { lines += sections[i] }
        }
        let keyWidth = min(26, lines.map { displayWidth($0.keys) }.max() ?? 0)
        let textWidth = lines.map { displayWidth($0.summary) }.max() ?? 0
        func key(_ a: Action) -> String { state.keymap.bindings.first { $0.action == a }?.key.label ?? "?" }
        let everything = lines.count == state.keymap.helpLines.count + sections.reduce(0) { $0 + $1.count }
        let footer = [everything ? "\(key(.back)) or \(key(.toggleHelp)) closes this help; keys are set in keys.yaml."
                      : "\(key(.back)) or \(key(.toggleHelp)) closes this help; focus a pane for its keys; keys.yaml"]
        var width = min(grid.width, max(keyWidth + 2 + textWidth, footer.map(displayWidth).max() ?? 0) + 4)
        // A box that nearly fills the screen takes all of it, instead of leaving slivers
        // of the pane borders beside its own.
        if width >= grid.width - 2 { width = grid.width }
        let height = min(grid.height, lines.count + footer.count + 2)
        let area = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        let inner = Box(title: "Keys", focused: true).render(into: &grid, area: area, glyphs: state.glyphs)
        guard inner.width > 2 else { return }
        var y = inner.y
        for l in lines where y < inner.maxY {
            grid.text(" " + l.keys, x: inner.x, y: y, style: Style(.title, bold: true), limit: inner.maxX)
            grid.text(l.summary, x: inner.x + keyWidth + 2, y: y, style: Style(.text), limit: inner.maxX)
            y += 1
        }
        for f in footer where y < inner.maxY {
            grid.text(" " + f, x: inner.x, y: y, style: Style(.muted), limit: inner.maxX)
            y += 1
        }
    }
}

extension String {
    /// The selection keys' summaries say "process"; in the fleet table they move over hosts.
    var replacingProcessWords: String {
        var s = self
        for (a, b) in [("processes", "hosts"), ("process", "host"), ("text, or a regex", "part of a name or address")] {
            while let r = s.firstRange(of: a) { s.replaceSubrange(r, with: b) }
        }
        return s
    }
}
