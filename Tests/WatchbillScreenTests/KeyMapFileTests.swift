import WatchbillCore
import Testing
@testable import WatchbillScreen

@Suite struct KeyMapFileTests {
    @Test func rebindingReplacesAnActionsDefaultKeys() throws {
        let maps = try KeyMapFile.load("""
            standard:
              quit: [x, Esc]
              next-theme: C
            processes:
              terminate: [Backspace]
            """, file: "keys.yaml")
        #expect(maps.standard.action(for: .character("x")) == .quit)
        #expect(maps.standard.action(for: .character("q")) == nil, "q no longer quits")
        #expect(maps.standard.action(for: .escape) == .quit, "Esc moved from back to quit")
        #expect(!maps.standard.bindings.contains { $0.action == .back }, "back lost its only key")
        #expect(maps.standard.action(for: .character("C")) == .nextTheme)
        #expect(maps.processes.action(for: .backspace) == .terminate)
        #expect(maps.processes.action(for: .character("K")) == nil)
        var st = AppState()
        st.keymap = maps.standard
        #expect(st.handle(.character("x")) == [.quit])
        _ = st.reduce(.toggleHelp)
        #expect(Screen.render(st, width: 80, height: 24).text.contains("x Esc"))
    }

    @Test func errorsNameTheLine() {
        #expect(throws: SourceError(file: "k.yaml", line: 3, cause: "unknown action 'explode'")) {
            try KeyMapFile.load("standard:\n  quit: [q]\n  explode: [e]\n", file: "k.yaml")
        }
        #expect(throws: SourceError(file: "k.yaml", line: 2, cause: "unknown key 'Ctrl-Q'")) {
            try KeyMapFile.load("standard:\n  quit: [Ctrl-Q]\n", file: "k.yaml")
        }
        #expect(throws: SourceError(file: "k.yaml", line: 3,
                                    cause: "'z' is bound to both quit (line 2) and help")) {
            try KeyMapFile.load("standard:\n  quit: [z]\n  help: [z]\n", file: "k.yaml")
        }
        #expect(throws: SourceError(file: "k.yaml", line: 1, cause: "unknown section 'global' (standard, processes, probes, alerts, incidents, fleet)")) {
            try KeyMapFile.load("global:\n  quit: [q]\n", file: "k.yaml")
        }
        #expect(throws: SourceError.self) { try KeyMapFile.load("standard: [\n", file: "k.yaml") }
    }

    @Test func anEmptyFileKeepsTheDefaults() throws {
        let maps = try KeyMapFile.load("# nothing yet\n", file: "k.yaml")
        #expect(maps.standard.bindings.count == KeyMap.standard.bindings.count)
    }

    @Test func everyKeyLabelParsesBack() {
        for b in KeyMap.standard.bindings + KeyMap.processes.bindings {
            #expect(KeyMapFile.parseKey(b.key.label) == b.key, "\(b.key.label)")
        }
    }
}
