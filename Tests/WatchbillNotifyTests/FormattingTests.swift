import Foundation
import Testing
@testable import WatchbillNotify

struct RFC3339Tests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (951_782_400, "2000-02-29T00:00:00.000Z"),
        (1_764_619_491.5, "2025-12-01T20:04:51.500Z"),
        (1_764_619_491.123, "2025-12-01T20:04:51.123Z"),
        // The last second of a leap year, and the first of the next.
        (1_735_689_599.999, "2024-12-31T23:59:59.999Z"),
        (1_735_689_600, "2025-01-01T00:00:00.000Z"),
        // 2100 is not a leap year: 28 February is followed by 1 March.
        (4_107_456_000, "2100-02-28T00:00:00.000Z"),
        (4_107_542_400, "2100-03-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.000Z"),
    ])
    func formatsKnownEpochs(epoch: Double, expected: String) {
        #expect(RFC3339.format(epoch) == expected)
    }

    @Test func roundsToTheMillisecondAcrossASecondBoundary() {
        #expect(RFC3339.format(59.9996) == "1970-01-01T00:01:00.000Z")
    }

    @Test func agreesWithFoundationOverManyDays() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // Every 7919 s (a prime, so times of day vary) over about 30 years.
        let mismatches = (0..<120_000).map { Double($0) * 7919 + 0.25 }.filter {
            RFC3339.format($0) != formatter.string(from: Date(timeIntervalSince1970: $0))
        }
        #expect(mismatches.isEmpty, "first: \(mismatches.first.map(RFC3339.format) ?? "")")
    }
}

struct JSONTextTests {
    @Test func escapesWhatJSONForbidsRaw() {
        #expect(JSONText.quoted(#"say "hi" \ bye"#) == #""say \"hi\" \\ bye""#)
        #expect(JSONText.quoted("a\nb\rc\td") == #""a\nb\rc\td""#)
        #expect(JSONText.quoted("\u{01}\u{1F}\u{08}\u{0C}") == #""\u0001\u001f\b\f""#)
        #expect(JSONText.quoted("Zürich ☃ 🚨") == "\"Zürich ☃ 🚨\"")
    }

    @Test func roundTripsThroughJSONSerialization() throws {
        let nasty = "quote\" backslash\\ newline\n tab\t nul-ish\u{01} bell\u{07} del\u{7F} é 😀 </script>"
        let parsed = try json(JSONText.array([JSONText.quoted(nasty)])) as? [String]
        #expect(parsed == [nasty])
    }

    @Test func objectsHaveSortedKeys() {
        #expect(JSONText.stringMap(["b": "2", "a": "1", "B": "3"]) == #"{"B":"3","a":"1","b":"2"}"#)
    }
}

struct FingerprintTests {
    @Test func emptyLabelsGiveFNVOffsetBasis() {
        #expect(Fingerprint.of([:]) == "cbf29ce484222325")
    }

    @Test func isSixteenHexDigitsAndIndependentOfInsertionOrder() {
        var a: [String: String] = [:]
        a["zone"] = "eu"
        a["alertname"] = "DiskFull"
        let b = ["alertname": "DiskFull", "zone": "eu"]
        #expect(Fingerprint.of(a) == Fingerprint.of(b))
        #expect(Fingerprint.of(a).count == 16 && Fingerprint.of(a).allSatisfy(\.isHexDigit))
    }

    @Test func separatesNamesFromValues() {
        // Without the separator byte both would hash "ab".
        #expect(Fingerprint.of(["a": "b"]) != Fingerprint.of(["ab": ""]))
        #expect(Fingerprint.of(["alertname": "A", "x": "1"]) != Fingerprint.of(["alertname": "A", "x": "2"]))
    }
}

@Suite struct DamagedInputFormattingTests {
    @Test func impossibleTimesFormatWithoutTrapping() {
        #expect(RFC3339.format(.nan) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(1e300) == "1970-01-01T00:00:00.000Z")
    }

    @Test func urlsInLogsShowOnlyTheServer() {
        #expect(Redaction.shown("https://hooks.example.com/services/T0/B0/XXXX") == "https://hooks.example.com/…")
        #expect(Redaction.shown("https://TOKEN@hooks.example.com/x") == "https://hooks.example.com/…")
        #expect(Redaction.shown("http://127.0.0.1:9093") == "http://127.0.0.1:9093")
        #expect(Redaction.shown("http://am:9093?token=abc") == "http://am:9093/…")
        let d = Destination(kind: .webhook, name: "chat", url: "https://u:pw@hooks.example.com/secret-path?k=v")
        #expect("\(d)" == "webhook chat (https://hooks.example.com/…)")
    }
}
