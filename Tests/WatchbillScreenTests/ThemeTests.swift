import WatchbillCore
import Foundation
import Testing
@testable import WatchbillScreen

@Suite struct ThemeTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes")

    @Test(arguments: BuiltinThemes.names)
    func shippedThemeParsesCleanlyAndMatchesItsFile(name: String) throws {
        let file = try String(contentsOf: Self.themesDirectory.appendingPathComponent(name + ".theme"), encoding: .utf8)
        let embedded = try #require(BuiltinThemes.sources[name])
        #expect(embedded.trimmingCharacters(in: .whitespacesAndNewlines) == file.trimmingCharacters(in: .whitespacesAndNewlines),
                "themes/\(name).theme changed: run themes/embed.sh")
        let (theme, warnings) = try ThemeParser.parse(file, name: name)
        #expect(warnings.isEmpty)
        // Every key is set in the file (mono sets each to the terminal's own color).
        let keys = Set(file.split(separator: "\n").compactMap { l in
            l.hasPrefix("#") || !l.contains("=") ? nil : String(l.split(separator: "=")[0].trimmingCharacters(in: .whitespaces))
        })
        #expect(keys == Set(ThemeKey.allCases.map(\.rawValue)))
        #expect(name == "mono" ? theme.colors.isEmpty : theme[.critical] != nil)
    }

    @Test func errorsNameLineAndCause() {
        #expect(throws: SourceError(file: "t.theme", line: 3, cause: "'#12345' is not a #RRGGBB color")) {
            try ThemeParser.parse("# c\nok = #0072B2\nwarn = #12345\n", name: "t", file: "t.theme")
        }
        #expect(throws: SourceError(file: "t.theme", line: 1, cause: "expected 'key = #RRGGBB'")) {
            try ThemeParser.parse("title #fff\n", name: "t", file: "t.theme")
        }
        #expect(throws: SourceError(file: "t.theme", line: 2, cause: "'ok' set twice")) {
            try ThemeParser.parse("ok = #000000\nok = #111111\n", name: "t", file: "t.theme")
        }
    }

    @Test func unknownKeysWarnAndMissingKeysInherit() throws {
        let (theme, warnings) = try ThemeParser.parse("ok = #010203\nsparkle = #FFFFFF\ntitle =\n", name: "mine", file: "mine.theme")
        #expect(warnings == ["mine.theme:2: unknown key 'sparkle' ignored"])
        #expect(theme[.ok] == RGB(1, 2, 3))
        #expect(theme[.title] == nil, "an empty value is the terminal's own color")
        #expect(theme[.critical] == Theme.standard[.critical], "missing keys come from the default theme")
    }

    /// A theme of 100,000 unknown keys says five of them and counts the rest, not 100,000
    /// log lines at every start.
    @Test func unknownKeysAreCountedPastFive() throws {
        let text = (0..<100_000).map { "key\($0) = #000000" }.joined(separator: "\n")
        let (_, warnings) = try ThemeParser.parse(text, name: "many", file: "many.theme")
        #expect(warnings.count == 6 && warnings[0] == "many.theme:1: unknown key 'key0' ignored")
        #expect(warnings.last == "many.theme: 99995 more unknown keys ignored")
    }

    @Test func depthDetection() {
        #expect(ColorDepth.detect(terminfoColors: 1 << 24, colorterm: nil, noColor: false, override: nil) == .truecolor)
        #expect(ColorDepth.detect(terminfoColors: 256, colorterm: "truecolor", noColor: false, override: nil) == .truecolor)
        #expect(ColorDepth.detect(terminfoColors: 256, colorterm: nil, noColor: false, override: nil) == .xterm256)
        #expect(ColorDepth.detect(terminfoColors: 8, colorterm: nil, noColor: false, override: nil) == .ansi16)
        #expect(ColorDepth.detect(terminfoColors: 0, colorterm: nil, noColor: false, override: nil) == .monochrome)
        #expect(ColorDepth.detect(terminfoColors: 256, colorterm: nil, noColor: true, override: .truecolor) == .monochrome)
        #expect(ColorDepth.detect(terminfoColors: 256, colorterm: nil, noColor: false, override: .ansi16) == .ansi16)
    }

    @Test func nearestColors() {
        #expect(ColorDepth.nearestXterm256(RGB(0, 0, 0)) == 16)
        #expect(ColorDepth.nearestXterm256(RGB(255, 255, 255)) == 231)
        #expect(ColorDepth.nearestXterm256(RGB(0x5F, 0x87, 0xAF)) == 67)
        #expect(ColorDepth.nearestXterm256(RGB(0x30, 0x30, 0x30)) == 236)
        #expect(ColorDepth.nearestXterm256(RGB(0x2E, 0x34, 0x40)) == 236 || ColorDepth.nearestXterm256(RGB(0x2E, 0x34, 0x40)) == 237)
        #expect(ColorDepth.nearestANSI16(RGB(0xD5, 0x5E, 0x00)) == 1)
        #expect(ColorDepth.nearestANSI16(RGB(0x00, 0x72, 0xB2)) == 6)  // cyan is nearer than xterm's blue
        #expect(ColorDepth.xtermRGB(67) == RGB(0x5F, 0x87, 0xAF))
        #expect(ColorDepth.xtermRGB(244) == RGB(128, 128, 128))
    }

    @Test(arguments: BuiltinThemes.names)
    func everyThemeResolvesAtEveryDepth(name: String) throws {
        let theme = try ThemeParser.parse(try #require(BuiltinThemes.sources[name]), name: name).theme
        for depth in ColorDepth.allCases {
            let palette = Palette.make(theme: theme, depth: depth)
            for role in Role.allCases {
                let look = palette.look(role)
                for color in [look.foreground, look.background] {
                    switch (depth, color) {
                    case (_, .terminalDefault): break
                    case (.truecolor, .rgb): break
                    case (.xterm256, .index(let i)): #expect((0..<256).contains(i))
                    case (.ansi16, .index(let i)): #expect((0..<16).contains(i))
                    default: Issue.record("\(name) at \(depth): \(role) got \(color)")
                    }
                }
            }
            // Status stays distinguishable: warn and critical never share a look.
            #expect(palette.look(.warn) != palette.look(.critical), "\(name) at \(depth)")
        }
    }

    /// Every shipped theme at every depth draws the dashboard (with probes, help open, and
    /// in the wall layout) at 80x24 and 200x50 with no cell whose text takes the color of
    /// its own background: everything on screen stays readable.
    @Test(arguments: BuiltinThemes.names)
    func everyThemeRendersReadably(name: String) throws {
        let theme = try ThemeParser.parse(try #require(BuiltinThemes.sources[name]), name: name).theme
        var help = SampleProbes.state()
        help.showHelp = true
        var wall = SampleProbes.state()
        wall.wall = true
        wall.firing = [FiringAlert(severity: .p1, text: "ProbeDown: db has failed every probe for 2 minutes")]
        for depth in ColorDepth.allCases {
            let palette = Palette.make(theme: theme, depth: depth)
            for state in [SampleData.state(), SampleProbes.state(), help, wall] {
                for (w, h) in [(80, 24), (200, 50)] {
                    let grid = Screen.render(state, width: w, height: h)
                    for cell in grid.cells where cell.scalar != " " && !cell.isContinuation {
                        let look = palette.look(cell.style.role)
                        let reversed = look.reverse != cell.style.reverse
                        let (fg, bg) = reversed ? (look.background, look.foreground) : (look.foreground, look.background)
                        #expect(fg == .terminalDefault || fg != bg,
                                "\(name) at \(depth) \(w)x\(h): \(cell.style.role) text on its own color")
                        if fg != .terminalDefault && fg == bg { return }
                    }
                }
            }
        }
    }
}
