import Testing
@testable import WatchbillIncidents

/// What a saved entry is called on screen and by the commands: words, not identifiers.
@Suite struct IncidentWordsTests {
    @Test func entriesAreSaidInWords() {
        func event(_ kind: IncidentEvent.Kind, _ field: String = "") -> IncidentEvent {
            IncidentEvent(incident: 1, at: 0, writtenAt: 0, author: "a", kind: kind, field: field)
        }
        #expect(event(.mitigationStarted).words == "mitigation started")
        #expect(event(.rootCauseIdentified).words == "root cause identified")
        #expect(event(.fieldSet, "users_affected").words == "users affected")
        #expect(event(.statusChanged, "mitigated").words == "status mitigated")
        for kind in IncidentEvent.Kind.allCases {
            #expect(!kind.words.contains("_") && kind.words != kind.rawValue || !kind.rawValue.contains("_"), "\(kind)")
        }
    }
}
