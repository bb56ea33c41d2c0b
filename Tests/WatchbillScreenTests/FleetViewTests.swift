import Testing
import WatchbillCore
@testable import WatchbillScreen

/// The fleet table: rows, sorting, filtering, the selection and its problem line, opening a
/// host and coming back, at 80 columns and in ASCII.
@Suite struct FleetViewTests {
    static func rows() -> [FleetRow] {
        func history(_ v: Double) -> GraphData { GraphData(values: (0..<30).map { _ in v }, endIndex: 30) }
        return [
            FleetRow(id: "10.0.0.1:9100", name: "web-01", status: .up, cpu: 0.42, memory: 0.61,
                     worstDisk: (mount: "/", used: 0.55), rx: 1_250_000, tx: 310_000, alerts: 0, cpuHistory: history(0.42), age: 2),
            FleetRow(id: "10.0.0.2:9100", name: "db-01", status: .up, cpu: 0.93, memory: 0.88,
                     worstDisk: (mount: "/var/lib/postgresql", used: 0.97), rx: 9_000_000, tx: 8_000_000, alerts: 2,
                     cpuHistory: history(0.93), age: 1),
            FleetRow(id: "10.0.0.3:9100", name: "10.0.0.3:9100", status: .down("timeout"), cpu: nil, memory: nil, age: nil),
            FleetRow(id: "10.0.0.4:9100", name: "cache-01", status: .stale("timeout"), cpu: 0.05, memory: 0.30,
                     worstDisk: (mount: "/", used: 0.20), rx: 1000, tx: 1000, age: 12),
            FleetRow(id: "10.0.0.5:9100", name: "10.0.0.5:9100", status: .waiting),
        ]
    }

    static func state(glyphs: GlyphSet = .unicode) -> AppState {
        var st = AppState(interval: 1, glyphs: glyphs)
        st.clock = "04:12:09"
        st.fleet = FleetData(rows: rows(), interval: 5, source: "5 node_exporters")
        return st
    }

    @Test func tableSortedDownFirstWithTheSelectionsProblem() {
        let grid = Screen.render(Self.state(), width: 130, height: 14)
        Golden.check(grid, "fleet-130x14")
        let text = grid.lines
        #expect(text[0].contains("fleet of 5") && text[0].contains("every 5s"))
        #expect(text[1].contains("Fleet 5 hosts, 2 up, 1 stale, 1 down"))
        // Down first, then stale, then waiting, then up.
        let order = ["10.0.0.3:9100", "cache-01", "10.0.0.5:9100", "db-01", "web-01"]
        let positions = order.map { name in text.firstIndex { $0.contains("│" + name) } ?? -1 }
        #expect(positions == positions.sorted() && !positions.contains(-1), "\(positions)")
        #expect(text[11].contains("│10.0.0.3:9100: DOWN: timeout; never answered"))
        #expect(grid[1, 3].style.reverse)
        #expect(text[4].hasPrefix("│cache-01 ") && text[4].contains(" STALE "), "\(text[4])")
        // A stale host's figures are shown, dimmed, with how old they are.
        var st = Self.state()
        _ = st.handle(.down)
        let stale = Screen.render(st, width: 130, height: 14).lines
        #expect(stale[11].contains("│cache-01 (10.0.0.4:9100): STALE: timeout; figures from 12s ago"), "\(stale[11])")
        #expect(stale[4].contains("5.0%"))
        _ = st.handle(.enter)
        #expect(st.notice == "cache-01 is STALE: timeout")
    }

    @Test func keysSortFilterSelectOpenAndBack() {
        var st = Self.state()
        _ = st.handle(.character(">"))
        #expect(st.fleetView.sort == .cpu && st.fleetView.descending)
        var visible = FleetList.visible(st.fleet!.rows, st.fleetView).map(\.name)
        // Busiest first; hosts with no figure last.
        #expect(visible.prefix(3) == ["db-01", "web-01", "cache-01"])
        _ = st.handle(.character("r"))
        visible = FleetList.visible(st.fleet!.rows, st.fleetView).map(\.name)
        #expect(visible.prefix(3) == ["cache-01", "web-01", "db-01"])
        _ = st.handle(.character("/"))
        for c in "01" { _ = st.handle(.character(c)) }
        _ = st.handle(.enter)
        #expect(st.fleetView.filter == "01" && FleetList.visible(st.fleet!.rows, st.fleetView).count == 3)
        _ = st.handle(.down)
        _ = st.handle(.enter)
        #expect(st.fleetView.openHost == "10.0.0.1:9100" && !st.fleetTableShown)
        // In a host's dashboard the fleet keys are off: Down moves focus, not the selection.
        _ = st.handle(.down)
        #expect(st.fleetView.openHost == "10.0.0.1:9100" && st.focus == .disk)
        _ = st.handle(.escape)
        #expect(st.fleetTableShown && st.fleetView.selectedID == "10.0.0.1:9100")
        // Esc while filtering drops the new text; the old filter stays.
        _ = st.handle(.character("/"))
        _ = st.handle(.character("x"))
        _ = st.handle(.escape)
        #expect(st.fleetView.filter == "01" && st.fleetView.editingFilter == nil)
    }

    @Test func aHostsDashboardSaysItsNameAndTheFleetsInterval() {
        var st = Self.state()
        st.fleetView.openHost = "10.0.0.2:9100"
        var snap = HostSnapshot(time: 1, wallClock: 1, host: HostInfo(hostname: "db-01", kernel: "6.1.0"))
        snap.load = LoadAverage(one: 1, five: 1, fifteen: 1, runnable: 3, total: 0)
        snap.runnable = 3
        st.data = DashboardData(snapshot: snap)
        let grid = Screen.render(st, width: 100, height: 30)
        #expect(grid.lines[0].contains("db-01") && grid.lines[0].contains("every 5s"))
        #expect(grid.lines.joined().contains("running 3") && !grid.lines.joined().contains("tasks 3/0"))
        #expect(grid.lines[29].contains("Esc fleet"))
    }

    /// What a fleet host cannot show says so, instead of showing this host's instead.
    @Test func historyAndProcessesAreThisHostsOnly() {
        var st = Self.state()
        st.setHistoryBounds(HistoryBounds(oldest: 0, newest: 100, perMinute: 60))
        _ = st.handle(.character("H"))
        #expect(st.history == nil && st.notice == "history rewinds this host's own dashboard, not the fleet's")
        st.fleetView.openHost = "10.0.0.1:9100"
        st.data = DashboardData(snapshot: SampleData.snapshot())
        st.processesPinned = true
        let text = Screen.render(st, width: 120, height: 60).lines.joined(separator: "\n")
        #expect(text.contains("node_exporter does not serve processes"))
    }

    @Test func openingADownHostSaysWhy() {
        var st = Self.state()
        _ = st.handle(.enter)
        #expect(st.fleetView.openHost == "10.0.0.3:9100" && st.notice == "10.0.0.3:9100 is DOWN: timeout")
        let header = Screen.render(st, width: 100, height: 30).lines[0]
        #expect(header.contains("10.0.0.3:9100"))
    }

    @Test func narrowAndASCIIAndHelp() {
        let narrow = Screen.render(Self.state(), width: 80, height: 12)
        Golden.check(narrow, "fleet-80x12")
        #expect(!narrow.lines[2].contains("CPU, last"))
        let ascii = Screen.render(Self.state(glyphs: .ascii), width: 130, height: 14)
        #expect(ascii.lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        var st = Self.state()
        _ = st.handle(.character("?"))
        let help = Screen.render(st, width: 100, height: 40).lines.joined(separator: "\n")
        #expect(help.contains("In the fleet table:") && help.contains("the selected host's dashboard") && help.contains("part of a name or address"))
    }

    @Test func fiveHundredHostsScrollWithTheSelection() {
        var st = AppState(interval: 1)
        st.fleet = FleetData(rows: (0..<500).map { FleetRow(id: "10.1.\($0 / 256).\($0 % 256):9100", name: "node-\(1000 + $0)", status: .up,
                                                            cpu: Double($0 % 100) / 100, memory: 0.5) }, interval: 5)
        st.fleetView.sort = .host
        st.screenSize = (120, 40)
        for _ in 0..<10 { _ = st.handle(.pageDown) }
        let grid = Screen.render(st, width: 120, height: 40)
        let selected = FleetList.visible(st.fleet!.rows, st.fleetView)[FleetList.selection(FleetList.visible(st.fleet!.rows, st.fleetView), st.fleetView)!]
        #expect(grid.lines.contains { $0.contains(selected.name) })
        _ = st.handle(.end)
        #expect(Screen.render(st, width: 120, height: 40).lines.contains { $0.contains("node-1499") })
    }
}

/// Service latency from Prometheus under the table: percentiles, rate, the threshold and
/// the verdict, the p95's half hour; and in the `--once` report.
@Suite struct ServiceLatencyViewTests {
    static func latency() -> [ServiceLatency] {
        let history: [Double?] = (0..<24).map { $0 < 4 ? nil : 0.1 + Double($0) * 0.02 }
        return [
            ServiceLatency(name: "api /login", p50: 0.042, p95: 0.38, p99: 0.91, requestsPerSecond: 125.3, threshold: 0.5,
                           p95History: history),
            ServiceLatency(name: "checkout", p50: 0.2, p95: 0.62, p99: 1.4, requestsPerSecond: 0.02, threshold: 0.5, p95History: history),
            ServiceLatency(name: "batch", requestsPerSecond: 0, threshold: 0.5),
            ServiceLatency(name: "typo", threshold: 0.25),
        ]
    }

    @Test func paneUnderTheTable() {
        var st = FleetViewTests.state()
        st.fleet?.latency = Self.latency()
        let grid = Screen.render(st, width: 130, height: 24)
        Golden.check(grid, "fleet-latency-130x24")
        let text = grid.lines
        let top = text.firstIndex { $0.contains("Latency from Prometheus") } ?? -1
        #expect(top == 16 && text[top].contains("1 slow"), "\(text)")
        #expect(text[top + 2].contains("api /login") && text[top + 2].contains("42ms") && text[top + 2].contains("380ms")
                && text[top + 2].contains("125") && text[top + 2].contains("<500ms OK"))
        #expect(text[top + 3].contains("0.02") && text[top + 3].contains("620ms") && text[top + 3].contains("SLOW"))
        #expect(text[top + 4].contains("idle") && text[top + 5].contains("<250ms no data"))
        // Still the fleet above it, with its selection's line.
        #expect(text[1].contains("Fleet 5 hosts") && text[top - 2].contains("DOWN: timeout"))
        // Prometheus not answering: the last rows stay, the badge says so.
        st.fleet?.latencyProblem = "refused"
        #expect(Screen.render(st, width: 130, height: 24).lines[top].contains("prometheus: refused"))
        st.fleet?.latency = []
        let empty = Screen.render(st, width: 130, height: 24).lines
        let emptyTop = empty.firstIndex { $0.contains("Latency from Prometheus") } ?? -1
        #expect(emptyTop == 19 && empty[emptyTop + 1].contains("refused"), "\(empty)")
    }

    @Test func smallTerminalsKeepTheTableAndASCII() {
        var st = FleetViewTests.state(glyphs: .ascii)
        st.fleet?.latency = Self.latency()
        let small = Screen.render(st, width: 80, height: 24)
        Golden.check(small, "fleet-latency-80x24-ascii")
        #expect(small.lines.contains { $0.contains("checkout") && $0.contains("SLOW") })
        #expect(small.lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        // Names cut in the middle keep the labels that tell rows apart.
        st.fleet?.latency = [ServiceLatency(name: "prom-api /api/v1/query", p95: 0.1, threshold: 0.5),
                             ServiceLatency(name: "prom-api /api/v1/query_range", p95: 0.1, threshold: 0.5)]
        let narrow = Screen.render(st, width: 60, height: 24).lines
        #expect(narrow.contains { $0.contains("|prom-~api/v1/query ") } && narrow.contains { $0.contains("|prom-~/query_range ") }, "\(narrow)")
        // Under 12 rows the table keeps the room.
        let tiny = Screen.render(st, width: 80, height: 11)
        #expect(!tiny.lines.contains { $0.contains("Latency from Prometheus") } && tiny.lines.contains { $0.contains("Fleet 5 hosts") })
    }

    /// The pane takes what it needs when the table's hosts fit beside it; otherwise the
    /// table keeps what it needs up to half (at least six rows), and the badge counts the
    /// rows left out.
    @Test func heightsShareTheScreen() {
        #expect(ServiceLatencyPane.height(4, hosts: 1, of: 12) == 7)
        #expect(ServiceLatencyPane.height(4, hosts: 500, of: 22) == 7)
        #expect(ServiceLatencyPane.height(40, hosts: 500, of: 48) == 24)
        #expect(ServiceLatencyPane.height(40, hosts: 500, of: 8) == 4)
        var st = FleetViewTests.state()
        st.fleet?.latency = (0..<30).map { ServiceLatency(name: "svc\($0)", p95: 0.1, requestsPerSecond: 1, threshold: 0.5) }
        let lines = Screen.render(st, width: 100, height: 30).lines
        let title = lines.first { $0.contains("Latency from Prometheus") } ?? ""
        #expect(title.contains(" 14 more "), "\(title)")
        #expect(lines.contains { $0.contains("web-01") } && lines.contains { $0.contains("svc15 ") } && !lines.contains { $0.contains("svc16 ") })
    }

    @Test func reportLines() throws {
        let report = FleetReport(rows: [], source: "prometheus p:9090 job node", latency: Self.latency())
        let lines = report.text.split(separator: "\n")
        #expect(lines[0] == "latency  api /login  OK  p50 42ms  p95 380ms  p99 910ms  125 req/s  (p95 target <500ms)")
        #expect(lines[1] == "latency  checkout  SLOW  p50 200ms  p95 620ms  p99 1.40s  0.02 req/s  (p95 target <500ms)")
        #expect(lines[2] == "latency  batch  IDLE  0 req/s  (p95 target <500ms)")
        #expect(lines[3] == "latency  typo  NO DATA  (p95 target <250ms)")
        #expect(report.latency?.map(\.state) == ["ok", "slow", "idle", "no data"])
    }
}

@Suite struct FleetReportTests {
    @Test func textAndJSONFieldsAndTheExitCode() {
        let report = FleetReport(rows: FleetViewTests.rows(), source: "5 node_exporters")
        // Down first, as the table sorts.
        #expect(report.hosts.map(\.id) == ["10.0.0.3:9100", "10.0.0.4:9100", "10.0.0.5:9100", "10.0.0.2:9100", "10.0.0.1:9100"])
        #expect(report.exitCode == 2)
        let lines = report.text.split(separator: "\n")
        #expect(lines[0] == "host  10.0.0.3:9100  DOWN: timeout")
        #expect(lines[1] == "host  cache-01 (10.0.0.4:9100)  STALE: timeout  cpu 5.0%  mem 30.0%  disk / 20%  rx 1.0 kB/s  tx 1.0 kB/s")
        #expect(lines[2] == "host  10.0.0.5:9100  WAITING: no answer yet")
        #expect(report.hosts.map(\.state) == ["down", "stale", "waiting", "up", "up"])
        #expect(lines[4] == "host  web-01 (10.0.0.1:9100)  UP  cpu 42.0%  mem 61.0%  disk / 55%  rx 1.3 MB/s  tx 310 kB/s")
        let db = report.hosts[3]
        #expect(db.cpuPercent == 93 && db.fullestMount == "/var/lib/postgresql" && db.fullestPercent == 97 && db.up)
        let allUp = FleetReport(rows: FleetViewTests.rows().filter(\.isUp), source: "x")
        #expect(allUp.exitCode == 0)
    }
}
