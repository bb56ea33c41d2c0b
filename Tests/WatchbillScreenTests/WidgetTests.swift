import Testing
@testable import WatchbillScreen

@Suite struct GridTests {
    @Test func textIsClippedAtTheLimitAndTheEdge() {
        var g = Grid(width: 10, height: 2)
        g.text("hello world", x: 0, y: 0, limit: 5)
        g.text("0123456789ABC", x: 3, y: 1)
        #expect(g.lines == ["hello     ", "   0123456"])
    }

    @Test func wideCharactersTakeTwoCellsAndNeverHalfFit() {
        var g = Grid(width: 5, height: 1)
        let end = g.text("a日本", x: 0, y: 0)
        #expect(end == 5)
        #expect(g.lines == ["a日本"])
        #expect(g[2, 0].isContinuation)
        var h = Grid(width: 4, height: 1)
        h.text("a日本", x: 0, y: 0)
        #expect(h.lines == ["a日 "])
    }

    @Test func writesOutsideTheGridAreIgnored() {
        var g = Grid(width: 3, height: 1)
        g.put("x", x: -1, y: 0); g.put("x", x: 3, y: 0); g.put("x", x: 0, y: 1)
        g.fill(Rect(x: -5, y: -5, width: 6, height: 6), with: "#")
        #expect(g.lines == ["#  "])
    }

    @Test func zeroSizedGrid() {
        var g = Grid(width: 0, height: 0)
        g.text("x", x: 0, y: 0)
        g.fill(Rect(x: 0, y: 0, width: 5, height: 5))
        #expect(g.lines.isEmpty)
    }
}

@Suite struct WidgetTests {
    @Test func sparklineDrawsOnlyWhereThereIsData() {
        var g = Grid(width: 12, height: 1, fill: Cell("x"))
        Sparkline(data: GraphData(values: (0...8).map(Double.init)), maximum: 8, role: .graphCPU)
            .render(into: &g, area: Rect(x: 0, y: 0, width: 9, height: 1), glyphs: .unicode)
        #expect(g.lines == [" ▁▂▃▄▅▆▇█xxx"])
    }

    @Test func sparklinePagesLikeGraphs() {
        // Width 4: the page stride is one sample; sample 5 of 0..<6 goes to the last cell.
        var g = Grid(width: 4, height: 1)
        Sparkline(data: GraphData(values: [8, 8, 1, 2, 3, 4], endIndex: 6), maximum: 8, role: .graphCPU)
            .render(into: &g, area: Rect(x: 0, y: 0, width: 4, height: 1), glyphs: .unicode)
        #expect(g.lines == ["▁▂▃▄"])
    }

    @Test func sparklineASCII() {
        var g = Grid(width: 5, height: 1)
        Sparkline(data: GraphData(values: [0, 1, 2, 3, 4]), maximum: 4, role: .graphCPU).render(into: &g, area: Rect(x: 0, y: 0, width: 5, height: 1), glyphs: .ascii)
        #expect(g.lines == [" .-=#"])
    }

    @Test func meterUsesEighthsForTheLastCell() {
        var g = Grid(width: 4, height: 1)
        Meter(fraction: 0.5625, role: .ok).render(into: &g, area: Rect(x: 0, y: 0, width: 4, height: 1), glyphs: .unicode)
        // 0.5625 * 32 eighths = 18: two full cells and a quarter.
        #expect(g.lines == ["██▎·"])
        var a = Grid(width: 4, height: 1)
        Meter(fraction: 0.5625, role: .ok).render(into: &a, area: Rect(x: 0, y: 0, width: 4, height: 1), glyphs: .ascii)
        #expect(a.lines == ["||.."])
    }

    @Test func meterSegmentsKeepTheirRoles() {
        var g = Grid(width: 10, height: 1)
        Meter([Meter.Segment(0.3, .cpuUser), Meter.Segment(0.2, .cpuSystem)]).render(into: &g, area: Rect(x: 0, y: 0, width: 10, height: 1), glyphs: .unicode)
        #expect(g.lines == ["█████·····"])
        #expect((0..<3).allSatisfy { g[$0, 0].style.role == .cpuUser })
        #expect((3..<5).allSatisfy { g[$0, 0].style.role == .cpuSystem })
        #expect(g[5, 0].style.role == .muted)
    }

    @Test func brailleGraphRaisesDotsFromTheBottom() {
        var g = Grid(width: 2, height: 2)
        // 8 levels in 2 rows: 1.0 -> 8 dots, 0.5 -> 4, 0.25 -> 2, 0 -> none.
        Graph(data: GraphData(values: [1, 0.5, 0.25, 0]), maximum: 1, role: .graphCPU).render(into: &g, area: g.bounds, glyphs: .unicode)
        #expect(g.lines == ["⡇ ", "⣿⡄"])
    }

    @Test func blockAndASCIIGraphs() {
        var b = Grid(width: 3, height: 2)
        Graph(data: GraphData(values: [1, 0.5, 0.25]), maximum: 1, role: .graphCPU).render(into: &b, area: b.bounds,
                                                                                          glyphs: GlyphSet.unicode.with(graph: .block))
        #expect(b.lines == ["█  ", "██▄"])
        var a = Grid(width: 3, height: 2)
        Graph(data: GraphData(values: [1, 0.5, 0.25]), maximum: 1, role: .graphCPU).render(into: &a, area: a.bounds, glyphs: .ascii)
        #expect(a.lines == ["|  ", "||."])
    }

    @Test func gapsAreBlankAndTinyValuesStayVisible() {
        var g = Grid(width: 2, height: 1)
        Graph(data: GraphData(values: [.nan, 0.001, 0, 0]), maximum: 1, role: .graphCPU).render(into: &g, area: g.bounds, glyphs: .unicode)
        #expect(g.lines == ["⢀ "])
    }

    @Test func graphPagesInsteadOfShiftingEverySample() {
        // 8 cells of braille hold 16 samples; the page stride is a quarter: 4 samples.
        #expect(Graph.windowStart(endIndex: 16, capacity: 16, samplesPerCell: 2) == 0)
        #expect(Graph.windowStart(endIndex: 17, capacity: 16, samplesPerCell: 2) == 4)
        #expect(Graph.windowStart(endIndex: 20, capacity: 16, samplesPerCell: 2) == 4)
        #expect(Graph.windowStart(endIndex: 21, capacity: 16, samplesPerCell: 2) == 8)
        // Between page jumps, a new sample changes only the newest cell.
        func draw(_ n: Int) -> Grid {
            var g = Grid(width: 8, height: 2)
            let values = SampleData.wave(n, max: 1)
            Graph(data: GraphData(values: values, endIndex: n), maximum: 1, role: .graphCPU).render(into: &g, area: g.bounds, glyphs: .unicode)
            return g
        }
        let before = draw(18), after = draw(19)
        let changedColumns = Set((0..<16).compactMap { i -> Int? in
            let x = i % 8, y = i / 8
            return before[x, y] == after[x, y] ? nil : x
        })
        #expect(changedColumns == [7])
    }

    /// Rows take the theme's start, mid and end colors from the bottom up, in every glyph set.
    @Test func graphGradientByHeight() {
        for glyphs in [GlyphSet.unicode, GlyphSet.unicode.with(graph: .block), .ascii] {
            var grid = Grid(width: 2, height: 6)
            Graph(data: GraphData(values: [1, 1, 1, 1]), maximum: 1, role: .graphCPU,
                  gradient: [.graphCPULow, .graphCPU, .graphCPUHigh])
                .render(into: &grid, area: grid.bounds, glyphs: glyphs)
            let roles = (0..<6).map { grid[0, $0].style.role }
            #expect(roles == [.graphCPUHigh, .graphCPUHigh, .graphCPU, .graphCPU, .graphCPULow, .graphCPULow])
            #expect((0..<6).allSatisfy { grid[0, $0].scalar != " " })
        }
        // Without a gradient every row has the graph's one role.
        var plain = Grid(width: 2, height: 3)
        Graph(data: GraphData(values: [1, 1]), maximum: 1, role: .graphMemory).render(into: &plain, area: plain.bounds, glyphs: .unicode)
        #expect((0..<3).allSatisfy { plain[0, $0].style.role == .graphMemory })
    }

    /// Each gradient role takes its theme key's color, so two themes color a graph differently.
    @Test func gradientRolesResolveToTheThemesKeys() throws {
        let nord = try ThemeParser.parse(BuiltinThemes.sources["nord"] ?? "", name: "nord").theme
        let palette = Palette.make(theme: nord, depth: .truecolor)
        for (role, key) in [(Role.graphCPULow, ThemeKey.cpuStart), (.graphCPU, .cpuMid), (.graphCPUHigh, .cpuEnd),
                            (.graphMemory, .memoryStart), (.graphMemoryMid, .memoryMid), (.graphMemoryHigh, .memoryEnd)] {
            let rgb = try #require(nord[key])
            #expect(palette.look(role).foreground == .rgb(rgb), "\(role)")
        }
    }

    @Test func niceCeilingSteps() {
        #expect(Graph.niceCeiling(0) == 1)
        #expect(Graph.niceCeiling(1) == 1)
        #expect(Graph.niceCeiling(1.2) == 2)
        #expect(Graph.niceCeiling(3_400) == 5_000)
        #expect(Graph.niceCeiling(7_000_000) == 10_000_000)
        #expect(Graph.niceCeiling(10, minimum: 1000) == 1000)
    }

    @Test func tableDropsColumnsThatDoNotFitAndClipsCells() {
        var g = Grid(width: 16, height: 3)
        Table(columns: [Table.Column("name", width: 6, .left), Table.Column("rx", width: 5), Table.Column("tx", width: 5)],
              rows: [Table.Row(["eth0", "1 kB", "2 kB"]), Table.Row(["enp0s31f6", "10 MB", "3 MB"])])
            .render(into: &g, area: g.bounds, glyphs: .unicode)
        #expect(g.lines == ["name          rx", "eth0        1 kB", "enp0s31f6  10 MB"])
    }

    @Test func boxTitleAndBadge() {
        var g = Grid(width: 20, height: 3)
        let inner = Box(title: "CPU", focused: true, badge: "42%").render(into: &g, area: g.bounds, glyphs: .unicode)
        #expect(inner == Rect(x: 1, y: 1, width: 18, height: 1))
        #expect(g.lines == ["╭ CPU ─────── 42% ─╮", "│                  │", "╰──────────────────╯"])
        #expect(g[0, 0].style.role == .focusedBorder)
        var a = Grid(width: 8, height: 2)
        Box(title: "Disk").render(into: &a, area: a.bounds, glyphs: .ascii)
        #expect(a.lines == ["+ Disk +", "+------+"])
    }
}

@Suite struct FormatTests {
    @Test func numbers() {
        #expect(Format.fixed(2.346, 2) == "2.35")
        #expect(Format.fixed(-0.04, 1) == "0.0")
        #expect(Format.fixed(12, 0) == "12")
        #expect(Format.percent(0.4523) == "45.2%")
        #expect(Format.percent(1) == "100%")
        #expect(Format.percent(nil) == "n/a")
        #expect(Format.percent(.nan) == "n/a")
    }

    @Test func bytesAndRates() {
        #expect(Format.bytes(UInt64(512)) == "512B")
        #expect(Format.bytes(UInt64(1536)) == "1.5K")
        #expect(Format.bytes(UInt64(24_683_656) * 1024) == "24G")
        #expect(Format.rate(0) == "0 B/s")
        #expect(Format.rate(999) == "999 B/s")
        #expect(Format.rate(1_250_000) == "1.3 MB/s")
        #expect(Format.rate(95_000_000) == "95 MB/s")
        #expect(Format.rate(3.2e9) == "3.2 GB/s")
        #expect(Format.perSecond(950) == "950")
        #expect(Format.perSecond(12_345) == "12k")
    }

    @Test func durations() {
        #expect(Format.duration(59) == "00:00:59")
        #expect(Format.duration(3 * 86400 + 4 * 3600 + 12 * 60) == "3d 04:12")
        #expect(Format.interval(0.25) == "250ms")
        #expect(Format.interval(1) == "1s")
        #expect(Format.interval(120) == "2m")
        #expect(Format.interval(3600) == "1h")
        #expect(Format.interval(30 * 86400) == "30d")
        #expect(Format.interval(5400) == "90m")
    }

    @Test func clipping() {
        #expect(Format.clip("/var/lib/postgresql", 8) == "/var/li…")
        #expect(Format.clip("/var", 8) == "/var")
        #expect(Format.clip("abcdef", 4, ellipsis: "~") == "abc~")
        #expect(Format.clipMiddle("prom-api /api/v1/query_range", 18) == "prom-…/query_range")
        #expect(Format.clipMiddle("prom-api /api/v1/query", 18) == "prom-…api/v1/query")
        #expect(Format.clipMiddle("short", 18) == "short" && Format.clipMiddle("abcdef", 4, ellipsis: "~") == "a~ef")
    }
}

@Suite struct GridDiffTests {
    @Test func onlyChangedCellsAreReported() {
        var a = Grid(width: 4, height: 2)
        a.text("abcd", x: 0, y: 0)
        var b = a
        b.put("X", x: 1, y: 1)
        b.put("b", x: 1, y: 0, style: Style(.warn))
        #expect(b.changedCells(since: a) == [1, 5])
        #expect(a.changedCells(since: a).isEmpty)
    }

    @Test func noOldFrameOrADifferentSizeRedrawsEverything() {
        var g = Grid(width: 3, height: 1)
        g.text("日", x: 0, y: 0)
        #expect(g.changedCells(since: nil) == [0, 2])
        #expect(g.changedCells(since: Grid(width: 2, height: 1)) == [0, 2])
    }
}

/// The contract every widget keeps: it draws inside the rectangle it is given and leaves
/// every other cell as it was, whatever its content asks for.
@Suite struct WidgetContractTests {
    static let area = Rect(x: 3, y: 2, width: 8, height: 3)

    static func outside(_ widget: some Widget) -> [String] {
        var g = Grid(width: 20, height: 10)
        _ = widget.render(into: &g, area: area, glyphs: .unicode)
        var touched: [String] = []
        for y in 0..<g.height {
            for x in 0..<g.width where !area.contains(x: x, y: y) && g[x, y] != .blank { touched.append("\(x),\(y)") }
        }
        var inside = false
        for y in area.y..<area.maxY { for x in area.x..<area.maxX where g[x, y] != .blank { inside = true } }
        return inside ? touched : ["nothing drawn"]
    }

    @Test func everyWidgetStaysInItsRectangle() {
        let long = GraphData(values: (0..<100).map { Double($0 % 7) })
        #expect(Self.outside(Box(title: "a title far wider than the box", focused: true, badge: "badge")) == [])
        #expect(Self.outside(Graph(data: long, maximum: 6, role: .graphCPU)) == [])
        #expect(Self.outside(Sparkline(data: long, maximum: 6, role: .graphCPU)) == [])
        #expect(Self.outside(Meter(fraction: 2.5, role: .critical)) == [])
        #expect(Self.outside(BigText("12:34", style: Style(.title))) == [])
        let table = Table(columns: [Table.Column("name", width: 4, .left), Table.Column("value", width: 3)],
                          rows: (0..<9).map { Table.Row(["row \($0) with a long name", "\($0 * 1000)"]) })
        #expect(Self.outside(table) == [])
    }
}

/// A short Network pane draws its scale label over the graph's top row: a mark there must
/// not read as part of the label (`rx max 1.0 kB/sv` in ASCII).
@Suite struct NetworkLabelTests {
    @Test func aMarkBesideTheScaleLabelStandsApart() {
        let label = "rx max 1.0 kB/s"
        // A mark at every column, so whatever the window, one falls right after the label.
        let marks = (0..<40).map { GraphMark(index: $0, kind: .alert(paging: true)) }
        let series = GraphData(values: Array(repeating: 10, count: 40), endIndex: 40, marks: marks)
        var g = Grid(width: 40, height: 2)
        NetworkPane.renderDirection("rx", series, role: .graphNetworkRx, glyphs: .ascii, into: &g,
                                    area: Rect(x: 0, y: 0, width: 40, height: 2))
        let top = g.lines[0]
        #expect(top.hasPrefix(label + " "), "\(top)")
        #expect(top.dropFirst(label.count + 1).contains("v"), "the marks after it are still drawn: \(top)")
    }
}
