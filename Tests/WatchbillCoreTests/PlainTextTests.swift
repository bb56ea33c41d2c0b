import Testing
import WatchbillCore

/// Other people's bytes on our reader's terminal: no control character passes but newline and tab.
struct PlainTextTests {
    @Test func controlsBecomeQuestionMarksAndTextStays() {
        // A crafted label value: retitle the pane (OSC 2 ... BEL), clear the screen (CSI 2J).
        #expect(PlainText.safe("web-01\u{1b}]2;pwned\u{07}\u{1b}[2J") == "web-01?]2;pwned??[2J")
        #expect(PlainText.safe("a\tb\nc") == "a\tb\nc")
        #expect(PlainText.safe("del\u{7f} c1\u{9b}31m nul\u{0}") == "del? c1?31m nul?")
        #expect(PlainText.safe("café ✓ 日本") == "café ✓ 日本")
        #expect(PlainText.safe("") == "")
    }
}
