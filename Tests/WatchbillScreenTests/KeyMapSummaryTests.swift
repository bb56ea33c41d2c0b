import Testing
@testable import WatchbillScreen

/// The help says what a key does where it is pressed.
@Suite struct KeyMapSummaryTests {
    @Test func aInAnIncidentAcknowledgesTheIncident() throws {
        let incident = KeyMap.incidents.helpLines.first { $0.keys == "a" }
        #expect(incident?.summary == "acknowledge: you own it, its alerts too (asks)")
        #expect(KeyMap.alerts.helpLines.first { $0.keys == "a" }?.summary == "acknowledge the alert, with a comment")
        // A user's keys.yaml over the incident keys keeps what they do there.
        let maps = try KeyMapFile.load("incidents:\n  acknowledge: [A]\n", file: "keys.yaml")
        #expect(maps.incidents.helpLines.first { $0.keys == "A" }?.summary.hasPrefix("acknowledge: you own it") == true)
    }
}
