import Testing
import WatchbillCore
import WatchbillDomain
@testable import WatchbillScreen

/// Three targets probed on a fake clock: a healthy API, a slow one over the 500 ms
/// threshold, and one that started failing. Every number is chosen.
enum SampleProbes {
    static let now = 1_800_000_600.0

    static func specs() -> [ProbeSpec] {
        [ProbeSpec(name: "api", kind: .http(HTTPCheck(url: "https://api.example.com/health")), interval: 5, labels: ["team": "pay"]),
         ProbeSpec(name: "search", kind: .http(HTTPCheck(url: "https://search.example.com/")), interval: 5),
         ProbeSpec(name: "db", kind: .tcp(TCPCheck(address: "db.internal:5432")), interval: 5)]
    }

    static func summaries(window: LatencyWindow = .fiveMinutes, detail: Int? = nil) -> [ProbeSummary] {
        var book = ProbeBook(specs: specs())
        var t = now - 600
        var k = 0
        while t < now {
            let phases = ProbePhases(dns: 0.002, connect: 0.004, tls: 0.012, firstByte: 0.030, transfer: 0.002)
            book.record(ProbeResult(probe: 0, time: t, duration: 0.040 + Double(k % 5) * 0.002, status: 200,
                                    phases: phases, certificateExpiry: now + 10 * 86_400))
            book.record(ProbeResult(probe: 1, time: t, duration: 0.450 + Double(k % 4) * 0.05, status: 200,
                                    phases: ProbePhases(dns: 0.001, connect: 0.002, firstByte: 0.5)))
            let failing = t >= now - 60
            book.record(ProbeResult(probe: 2, time: t, duration: failing ? 2 : 0.001,
                                    error: failing ? .timeout : nil, message: failing ? "Connection timed out after 2000 ms" : "",
                                    phases: ProbePhases(connect: 0.001)))
            t += 5
            k += 1
        }
        // Just before `now`: the windows then end on a slice boundary and hold whole minutes.
        return book.summaries(at: now - 0.1, window: window, detail: detail)
    }

    static func state(glyphs: GlyphSet = .unicode) -> AppState {
        var st = SampleData.state(glyphs: glyphs)
        st.hasProbes = true
        st.data.probes = summaries()
        return st
    }
}

@Suite struct ProbeViewTests {
    @Test func dashboardWithProbesAt100x30() {
        let st = SampleProbes.state()
        let grid = Screen.render(st, width: 100, height: 30)
        Golden.check(grid, "probes-100x30")
        let text = grid.text
        for word in ["Latency", "SLO", "api", "search", "db", "DOWN", "timeout", "OK", "BREACHED", "spent", "30d 2 BREACHED"] {
            #expect(text.contains(word), "\(word) missing")
        }
    }

    @Test func latencyRowsShowWindowPercentiles() throws {
        let grid = Screen.render(SampleProbes.state(), width: 120, height: 40)
        let api = try #require(grid.lines.first { $0.contains("│api ") && $0.contains("UP") })
        // 5 m: 60 probes at 40, 42, 44, 46, 48 ms: p50 44 ms, p99 48 ms, no errors.
        #expect(api.contains("44ms") && api.contains("48ms") && api.contains("0.0%") && api.contains("100%"))
        let db = try #require(grid.lines.first { $0.contains("│db ") && $0.contains("DOWN") })
        // 60 probes in 5 m, the last 12 timed out: 20 % errors, uptime 80 %.
        #expect(db.contains("timeout") && db.contains("20.0%") && db.contains("80.0%"))
    }

    @Test func sloStatusesInPlainWords() throws {
        let grid = Screen.render(SampleProbes.state(), width: 120, height: 40)
        let lines = grid.lines
        // search: every probe 450-600 ms, half over 500 ms: the latency budget is gone.
        #expect(lines.contains { $0.contains("search") && $0.contains("BREACHED") })
        // db: 12 of 120 failed (10 %) in 10 minutes: availability budget gone too.
        #expect(lines.contains { $0.contains("db ") && $0.contains("BREACHED") && $0.contains("90.0%") })
        #expect(lines.contains { $0.contains("api ") && $0.contains(" OK ") && $0.contains("100%") })
    }

    @Test func sharedAxisSparklinesCompareAcrossRows() {
        var st = SampleProbes.state()
        st.focus = .latency
        st.layoutRows = Screen.layoutRows(st, width: 200, height: 40)
        let own = Screen.render(st, width: 200, height: 40)
        _ = st.handle(.character("y"))
        #expect(st.probeView.sharedAxis)
        let shared = Screen.render(st, width: 200, height: 40)
        // With one scale, the 45 ms API row is low next to the 600 ms one; alone it fills its own.
        let apiOwn = own.lines.first { $0.contains("│api ") }!, apiShared = shared.lines.first { $0.contains("│api ") }!
        #expect(apiOwn != apiShared)
        #expect(apiShared.contains("▁") && !apiOwn.contains("▁"))
    }

    @Test func keysSelectOpenDetailsAndCycleWindows() {
        var st = SampleProbes.state()
        st.layoutRows = Screen.layoutRows(st, width: 100, height: 30)
        st.focus = .latency
        _ = st.handle(.down)
        #expect(st.probeView.selected == 1)
        _ = st.handle(.character("w"))
        #expect(st.probeView.window == .oneHour)
        _ = st.handle(.enter)
        #expect(st.probeView.detail)
        _ = st.handle(.escape)
        #expect(!st.probeView.detail && !st.zoomed)
        // Arrows still move focus when the pane is not focused.
        st.focus = .cpu
        _ = st.handle(.down)
        #expect(st.focus == .disk && st.probeView.selected == 1)
    }

    @Test func detailViewShowsPhasesBandsSLOAndErrors() {
        var st = SampleProbes.state()
        st.data.probes = SampleProbes.summaries(detail: 2)
        st.probeView.selected = 2
        st.probeView.detail = true
        let failing = Screen.render(st, width: 100, height: 34)
        Golden.check(failing, "probe-detail-db-100x34")
        #expect(failing.text.contains("timeout"))
        #expect(failing.text.contains("Connection timed out after 2000 ms"))
        st.data.probes = SampleProbes.summaries(detail: 0)
        st.probeView.selected = 0
        let api = Screen.render(st, width: 100, height: 34).text
        for phase in ["DNS 2.0ms", "connect 4.0ms", "TLS 12ms", "first byte 30ms", "transfer 2.0ms"] {
            #expect(api.contains(phase), "\(phase) missing")
        }
        #expect(api.contains("certificate 10 days left"))
        #expect(api.contains("cert expiring"))
    }

    @Test func aProbeNamedByItsURLSaysItOnce() {
        var book = ProbeBook(specs: [ProbeSpec(name: "https://example.com", kind: .http(HTTPCheck(url: "https://example.com/")))])
        book.record(ProbeResult(probe: 0, time: SampleProbes.now - 5, duration: 0.1, error: .dns, message: "Could not resolve host"))
        var st = SampleData.state()
        st.hasProbes = true
        st.data.probes = book.summaries(at: SampleProbes.now, window: .fiveMinutes, detail: 0)
        st.probeView.detail = true
        let grid = Screen.render(st, width: 80, height: 24)
        #expect(grid.lines[1].contains("╭ https://example.com ─"))
        // One probe is data, just not enough to judge a budget by.
        #expect(grid.text.contains("TOO FEW over 30d, 1 probe (10 needed to judge)"), "\(grid.text)")
        #expect(grid.text.contains("budget left -") && !grid.text.contains("999"), "\(grid.text)")
    }

    @Test func detailViewInASCII() {
        var st = SampleProbes.state(glyphs: .ascii)
        st.data.probes = SampleProbes.summaries(detail: 1)
        st.probeView.selected = 1
        st.probeView.detail = true
        let grid = Screen.render(st, width: 80, height: 24)
        Golden.check(grid, "probe-detail-ascii-80x24")
        #expect(grid.cells.allSatisfy { $0.scalar.isASCII })
    }

    @Test func probePanesHideAndReturnWithNumberKeys() {
        var st = SampleProbes.state()
        _ = st.handle(.character("6"))
        #expect(Screen.layoutRows(st, width: 100, height: 30).last == [.slo])
        _ = st.handle(.character("7"))
        #expect(!Screen.layoutRows(st, width: 100, height: 30).contains { $0.contains(.slo) || $0.contains(.latency) })
        var none = SampleData.state()
        _ = none.handle(.character("6"))
        #expect(none.notice?.contains("no probes") == true)
    }

    @Test func compactViewLeadsWithTheServices() {
        let grid = Screen.render(SampleProbes.state(), width: 60, height: 6)
        Golden.check(grid, "probes-compact-60x6")
        #expect(grid.lines[1].hasPrefix("SVC  2 up 1 down  2 BREACHED  worst p95 search 600ms"))
    }

    @Test func dashboardWithProbesAt80x24() {
        let grid = Screen.render(SampleProbes.state(), width: 80, height: 24)
        Golden.check(grid, "probes-80x24")
        #expect(grid.text.contains("Latency") && grid.text.contains("search"))
    }

    @Test func helpListsProbeKeysWhenThereIsRoom() {
        var st = SampleProbes.state()
        _ = st.reduce(.toggleHelp)
        let tall = Screen.render(st, width: 100, height: 60).text
        #expect(tall.contains("In the Latency and SLO panes:"))
        for line in KeyMap.probes.helpLines { #expect(tall.contains(line.summary)) }
        st.focus = .latency
        let small = Screen.render(st, width: 80, height: 24).text
        #expect(small.contains("latency window: 1m, 5m, 1h") && small.contains("closes this help"))
    }
}
