import Foundation
import Testing
import WatchbillCore
@testable import WatchbillRecording

/// Alert transitions, incident entries, the probe list and probe results: each record's
/// bytes, a recording mixing them, and the probe list heading every rotated file.
@Suite struct EventRecordTests {
    let alert = AlertRecord(wallClock: 1_796_000_010.5, labels: ["alertname": "DiskFull", "severity": "P1", "mount": "/var"],
                            from: "pending", to: "firing")
    let incident = IncidentRecord(incident: 7, seq: 42, at: 1_796_000_020, kind: "note", author: "oncall",
                                  text: "failover started — ünïcode kept")
    let result = ProbeResult(probe: 1, time: 1_796_000_011, duration: 0.2125, error: .httpStatus, message: "HTTP 503",
                             status: 503, phases: ProbePhases(dns: 0.001, connect: 0.002, tls: 0.01, firstByte: 0.19, transfer: 0.0095),
                             bytes: 1234, truncated: true, certificateExpiry: 1_800_000_000)
    let probes = [
        RecordedProbe(name: "api", kind: "http", target: "https://api.example.test/health", interval: 5, timeout: 2,
                      labels: ["team": "payments"], slo: SLOTargets(availability: 0.9995, latencyThreshold: 0.3)),
        RecordedProbe(name: "db", kind: "tcp", target: "tls://db.internal:5432", interval: 10, timeout: 1, labels: [:], slo: .sla),
        RecordedProbe(name: "dns", kind: "dns", target: "dns:example.test", interval: 30, timeout: 3, labels: [:], slo: .sla),
    ]

    /// A probe list whose checksum is good but whose numbers are not: NaN, infinities, a
    /// minimum of probes past 2^32. Replay crashed on it (issue 19); now each value that
    /// cannot be one reads as the SLA's.
    @Test func aProbeListOfImpossibleNumbersReadsAsTheDefaults() throws {
        let bad = RecordedProbe(name: "api", kind: "http", target: "http://127.0.0.1:9/", interval: .nan, timeout: -.infinity,
                                labels: [:], slo: SLOTargets(availability: .nan, latencyThreshold: .infinity, latencyTarget: 2,
                                                             errorRate: -1, window: .nan, minProbes: Int.max))
        let read = try #require(try EventCodec.decodeProbes(EventCodec.encode([bad])).first)
        #expect(read.interval == 5 && read.timeout == 2)
        #expect(read.slo == SLOTargets(minProbes: 1_000_000).sanitized)
        #expect(read.slo.availability == 0.999 && read.slo.window == 30 * 86_400 && read.slo.minProbes == 1_000_000)
    }

    @Test func everyKindRoundTrips() throws {
        #expect(try EventCodec.decodeAlert(EventCodec.encode(alert)) == alert)
        let resolved = AlertRecord(wallClock: 1, labels: [:], from: "firing", to: nil)
        #expect(try EventCodec.decodeAlert(EventCodec.encode(resolved)) == resolved)
        #expect(try EventCodec.decodeIncident(EventCodec.encode(incident)) == incident)
        #expect(try EventCodec.decodeProbes(EventCodec.encode(probes)) == probes)
        #expect(try EventCodec.decodeProbeResult(EventCodec.encode(result)) == result)
        let ok = ProbeResult(probe: 0, time: 5, duration: 0.01)
        #expect(try EventCodec.decodeProbeResult(EventCodec.encode(ok)) == ok)
        // The same labels in any order give the same bytes.
        var shuffled = alert
        shuffled.labels = Dictionary(uniqueKeysWithValues: alert.labels.reversed().map { ($0.key, $0.value) })
        #expect(EventCodec.encode(shuffled) == EventCodec.encode(alert))
    }

    @Test func everyTruncationIsDamageNotACrash() {
        let cases: [([UInt8], ([UInt8]) throws -> Void)] = [
            (EventCodec.encode(alert), { _ = try EventCodec.decodeAlert($0) }),
            (EventCodec.encode(incident), { _ = try EventCodec.decodeIncident($0) }),
            (EventCodec.encode(probes), { _ = try EventCodec.decodeProbes($0) }),
            (EventCodec.encode(result), { _ = try EventCodec.decodeProbeResult($0) }),
        ]
        for (bytes, decode) in cases {
            for cut in 0..<bytes.count {
                #expect(throws: ByteReader.Damaged.self) { try decode(Array(bytes[0..<cut])) }
            }
        }
    }

    @Test func aFailureClassFromANewerWatchbillIsStillAFailure() throws {
        var w = ByteWriter()
        w.varint(0); w.double(10); w.double(0.5)
        w.varint(1); w.string("quantum-decoherence")
        w.string(""); w.varint(0)
        for _ in 0..<5 { w.double(0) }
        w.varint(0); w.varint(0); w.varint(0)
        let r = try EventCodec.decodeProbeResult(w.bytes)
        #expect(r.error == .other && !r.succeeded)
    }

    @Test func recordedTargetsBecomeSpecsThatShowTheSame() {
        let specs = probes.map(\.spec)
        #expect(specs.map(\.target) == probes.map(\.target))
        #expect(specs.map(\.kindName) == ["http", "tcp", "dns"])
        #expect(specs[0].slo.availability == 0.9995 && specs[0].labels == ["team": "payments"] && specs[1].interval == 10)
        #expect(RecordedProbe(specs[1]) == probes[1])
    }

    func dir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wb-ev-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d.path
    }

    func tick(_ n: Int) -> HostSnapshot {
        HostSnapshot(time: Double(n), wallClock: 1_796_000_000 + Double(n), host: HostInfo(hostname: "h", kernel: "k"))
    }

    func read(_ path: String) -> (records: [Record], problem: String?) {
        var out: [Record] = []
        let bytes = Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        let problem = RecordingContents.scanRecords(bytes) { out.append($0); return true }
        return (out, problem)
    }

    @Test func aRecordingMixesKindsInOrderAndEveryRotatedFileStartsWithTheTargets() throws {
        let path = try dir() + "/r.wbr"
        let w = try RecordingWriter(path: path, maxBytes: 600, keep: 9)
        try w.setPreamble(kind: .probes, EventCodec.encode(probes))
        for n in 0..<30 {
            try w.append(tick(n), now: Double(n))
            if n == 12 { try w.append(kind: .alert, EventCodec.encode(alert), now: Double(n)) }
            if n == 20 { try w.append(kind: .incident, EventCodec.encode(incident), now: Double(n)) }
            if n % 5 == 0 { try w.append(kind: .probeResult, EventCodec.encode(result), now: Double(n)) }
        }
        let files = [path] + (1...9).map { "\(path).\($0)" }.filter { FileManager.default.fileExists(atPath: $0) }
        #expect(files.count >= 3, "600-byte files should have rotated")
        var all: [Record] = []
        for f in files.reversed() {
            let (records, problem) = read(f)
            #expect(problem == nil)
            guard case .probes(let p) = records.first else {
                Issue.record("\(f) does not start with the probe list")
                continue
            }
            #expect(p == probes)
            all += records.dropFirst()
        }
        var events = RecordedEvents()
        var ticks: [HostSnapshot] = []
        for r in all where !events.add(r) { if case .snapshot(let s) = r { ticks.append(s) } }
        events.finish()
        #expect(ticks.map(\.time) == (0..<30).map(Double.init))
        #expect(events.alerts == [alert] && events.incidents == [incident] && events.probeResults.count == 6)
    }

    @Test func whatWasFiringAtAMoment() {
        var e = RecordedEvents()
        let disk = ["alertname": "DiskFull", "severity": "P2"], load = ["alertname": "HighLoad", "severity": "P1"]
        e.alerts = [AlertRecord(wallClock: 100, labels: disk, from: nil, to: "pending"),
                    AlertRecord(wallClock: 160, labels: disk, from: "pending", to: "firing"),
                    AlertRecord(wallClock: 200, labels: load, from: "pending", to: "firing"),
                    AlertRecord(wallClock: 300, labels: disk, from: "firing", to: "resolved")]
        #expect(e.firing(at: 150).isEmpty)
        #expect(e.firing(at: 160).map(\.name) == ["DiskFull"])
        #expect(e.firing(at: 250).map(\.name) == ["HighLoad", "DiskFull"])
        #expect(e.firing(at: 300).map(\.name) == ["HighLoad"])
    }

    @Test func aRecordThatPassedItsChecksumButDoesNotDecodeStopsTheScan() throws {
        var bytes = BlockFile.header
        bytes += BlockFile.frame([RecordKind.snapshot.rawValue] + SnapshotCodec.encode(tick(1)))!
        bytes += BlockFile.frame([RecordKind.alert.rawValue, 0xFF])!
        bytes += BlockFile.frame([RecordKind.snapshot.rawValue] + SnapshotCodec.encode(tick(2)))!
        var seen = 0
        let problem = RecordingContents.scanRecords(bytes) { _ in seen += 1; return true }
        #expect(seen == 1 && problem == "record 2 does not decode")
        // A kind this version does not know is skipped: a newer watchbill's recording still plays.
        var newer = BlockFile.header
        newer += BlockFile.frame([99, 1, 2, 3])!
        newer += BlockFile.frame([RecordKind.snapshot.rawValue] + SnapshotCodec.encode(tick(3)))!
        seen = 0
        #expect(RecordingContents.scanRecords(newer) { _ in seen += 1; return true } == nil && seen == 1)
    }
}
