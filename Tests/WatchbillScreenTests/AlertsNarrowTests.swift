import Testing
import WatchbillRules
@testable import WatchbillScreen

/// At 80 columns the Alerts pane keeps what tells alerts apart, and marks what it cuts.
@Suite struct AlertsNarrowTests {
    /// The drill's pair: the same rule on two probes whose long instance URLs crowded out
    /// `probe=api` (`instance=http://127.0.0.~` was what showed).
    static var drill: [AlertItem] {
        [SampleAlerts.item("ProbeDown", "P1", .firing, labels: ["instance": "http://127.0.0.1:18081/health/ready", "job": "probes", "probe": "api"],
                           value: 0, activeAgo: 600),
         SampleAlerts.item("ProbeDown", "P1", .firing, labels: ["instance": "http://127.0.0.1:18082/health/ready", "job": "probes", "probe": "db"],
                           value: 0, activeAgo: 300)]
    }

    @Test func theLabelsThatDifferComeFirstAndShortOnesBeforeLong() {
        let list = Self.drill
        let differing = AlertFormat.differing(list)
        #expect(differing == ["instance", "probe"])
        #expect(AlertFormat.telling(list[0].keyLabels, first: differing)
                == "probe=api instance=http://127.0.0.1:18081/health/ready job=probes")
        // Alone, nothing differs: the short labels lead.
        #expect(AlertFormat.telling(list[0].keyLabels, first: []) == "probe=api job=probes instance=http://127.0.0.1:18081/health/ready")
    }

    @Test func at80ColumnsEachRowNamesItsProbeAndCutTextSaysSo() {
        var st = SampleAlerts.state(Self.drill)
        _ = st.handle(.character("A"))
        let lines = Screen.render(st, width: 80, height: 24).lines
        let rows = lines.filter { $0.contains("FIRING ") && ($0.contains("ProbeDown (2)") || $0.contains("└")) }
        #expect(rows.count == 2, "\(lines.joined(separator: "\n"))")
        // Newest first: db, then api.
        #expect(rows.first?.contains("probe=db instance=") == true && rows.last?.contains("probe=api instance=") == true,
                "\(rows.joined(separator: "\n"))")
        // The URL did not fit: the cut ends in an ellipsis, not mid-word.
        #expect(rows.allSatisfy { $0.contains("…") }, "\(rows.joined(separator: "\n"))")
        var ascii = st
        ascii.glyphs = .ascii
        let asciiRows = Screen.render(ascii, width: 80, height: 24).lines.filter { $0.contains("probe=") }
        #expect(asciiRows.count == 2 && asciiRows.allSatisfy { $0.contains("~") && !$0.contains("…") },
                "\(asciiRows.joined(separator: "\n"))")
    }

    @Test func theDetailMarksCutText() {
        var st = SampleAlerts.state(Self.drill)
        _ = st.handle(.character("A"))
        _ = st.handle(.enter)
        let lines = Screen.render(st, width: 80, height: 24).lines
        // The labels wrap instead of losing probe=db past the border.
        let at = lines.firstIndex { $0.contains("labels      alertname=ProbeDown") }
        #expect(at != nil, "\(lines.joined(separator: "\n"))")
        if let at {
            let text = lines[at...(at + 2)].joined()
            #expect(text.contains("instance=http://127.0.0.1:18082/health/ready") && text.contains("probe=db")
                    && text.contains("job=probes") && !text.contains("…"), "\(lines.joined(separator: "\n"))")
        }
    }
}
