import Foundation
import Testing
import WatchbillIncidents
@testable import WatchbillIncidentStore

/// Another program's connection to the store's file (a hand edit, a newer watchbill).
func otherConnection(_ path: String) throws -> SQLiteConnection { try SQLiteConnection(path: path, create: true) }

func temporaryStorePath() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-store-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("incidents.sqlite").path
}

@Suite struct IncidentStoreTests {
    @Test func openNoteAndFoldRoundTrip() throws {
        let store = try IncidentStore(path: try temporaryStorePath())
        let id = try store.open(title: "API down", severity: .p1, detectedAt: 1000, alertedAt: 1060, at: 1100, author: "alice")
        let note = try store.append(IncidentEvent(incident: id, at: 1200, writtenAt: 1200, author: "alice", kind: .note,
                                                  text: "restarting api-7"))
        #expect(note.seq > 0)
        // A back-dated acknowledgement keeps its time; the write order is kept too.
        try store.append(IncidentEvent(incident: id, at: 1150, writtenAt: 1210, author: "alice", kind: .acknowledged))
        let incident = try #require(try store.incidents().first)
        #expect(incident.title == "API down" && incident.severity == .p1 && incident.status == .investigating)
        #expect(incident.timeline.map(\.kind) == [.detected, .alerted, .opened, .acknowledged, .note])
        let seqs = try store.events(of: id).map(\.seq)
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
        #expect(try store.lastSeq() == note.seq + 1)
    }

    @Test func refusedEventsAreNotWritten() throws {
        let store = try IncidentStore(path: try temporaryStorePath())
        let id = try store.open(title: "x", severity: .p2, at: 10, author: "a")
        try store.append(IncidentEvent(incident: id, at: 20, writtenAt: 20, author: "a", kind: .acknowledged))
        #expect(throws: IncidentStore.StoreError.self) {
            try store.append(IncidentEvent(incident: id, at: 30, writtenAt: 30, author: "b", kind: .acknowledged))
        }
        #expect(throws: IncidentStore.StoreError.self) {
            try store.append(IncidentEvent(incident: 999, at: 30, writtenAt: 30, author: "b", kind: .note, text: "ghost"))
        }
        #expect(try store.events(of: id).count == 2)
    }

    @Test func eventsAreAppendOnlyEvenForOtherWriters() throws {
        let path = try temporaryStorePath()
        let store = try IncidentStore(path: path)
        let id = try store.open(title: "x", severity: .p3, at: 10, author: "a")
        let other = try otherConnection(path)
        #expect(throws: (any Error).self) { try other.execute("UPDATE events SET text = 'changed'") }
        #expect(throws: (any Error).self) { try other.execute("DELETE FROM events") }
        #expect(try store.events(of: id).first?.text == "x")
    }

    @Test func aRowOfTheWrongTypesIsLeftOutNotTrappedOn() throws {
        let path = try temporaryStorePath()
        let store = try IncidentStore(path: path)
        let id = try store.open(title: "x", severity: .p3, at: 10, author: "a")
        // Another writer (a hand edit) puts text where a time goes: SQLite keeps it.
        let other = try otherConnection(path)
        _ = try other.rows("INSERT INTO events (incident, at, written_at, author, kind, field, text) VALUES (?, 'noon', 20, 'b', 'note', '', 'hi')", [.integer(id)])
        _ = try other.rows("INSERT INTO events (incident, at, written_at, author, kind, field, text) VALUES (?, 30, 30, X'00FF', 'note', '', 'bytes')", [.integer(id)])
        // Text that is not UTF-8, cast to TEXT: bytes, not a string to show.
        _ = try other.rows("INSERT INTO events (incident, at, written_at, author, kind, field, text) VALUES (?, 31, 31, 'b', 'note', '', CAST(X'C328' AS TEXT))", [.integer(id)])
        let events = try store.events(of: id)
        #expect(events.map(\.text) == ["x"])
        #expect(try store.incidents().count == 1)
    }

    @Test func theFilesAreOnlyTheOwnersAndWAL() throws {
        let path = try temporaryStorePath()
        let store = try IncidentStore(path: path)
        _ = try store.open(title: "x", severity: .p3, at: 10, author: "a")
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(file) has mode \(String(mode ?? 0, radix: 8))")
        }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        let mode = try otherConnection(path).rows("PRAGMA journal_mode").first?.first
        #expect(mode == .text("wal"))
    }

    @Test func aFileThatIsNotAStoreIsReportedAndLeftAlone() throws {
        let path = try temporaryStorePath()
        let junk = Data("these are somebody's notes, not a database\n".utf8) + Data(repeating: 7, count: 5000)
        try junk.write(to: URL(fileURLWithPath: path))
        do {
            _ = try IncidentStore(path: path)
            Issue.record("opened a file that is not a store")
        } catch {
            #expect(error.description.contains("not a usable incident store"), "\(error)")
            #expect(error.description.contains(path))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == junk)
    }

    /// Two writers (two pools, as two processes would have) adding notes at once: every
    /// note is there once, in one order.
    @Test func twoWritersAtOnceLoseNothing() throws {
        let path = try temporaryStorePath()
        let a = try IncidentStore(path: path), b = try IncidentStore(path: path)
        let id = try a.open(title: "x", severity: .p2, at: 10, author: "a")
        let group = DispatchGroup()
        for (store, name) in [(a, "a"), (b, "b")] {
            DispatchQueue.global().async(group: group) {
                for i in 0..<150 {
                    _ = try? store.append(IncidentEvent(incident: id, at: 20, writtenAt: 20, author: name, kind: .note,
                                                        text: "\(name)\(i)"))
                }
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        let notes = try a.events(of: id).filter { $0.kind == .note }.map(\.text)
        #expect(notes.count == 300 && Set(notes).count == 300)
        #expect(try b.lastSeq() == 301)
    }
}

@Suite struct IncidentStoreMigrationTests {
    /// A store the release before this one wrote through GRDB (Fixtures/, made with
    /// `incident new`, `note` and `resolve` of that binary) opens, reads and takes notes.
    @Test func aStoreWrittenThroughGRDBOpensAsItWas() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/written-through-grdb.sqlite")
        let path = try temporaryStorePath()
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        let store = try IncidentStore(path: path)
        let incidents = try store.incidents()
        #expect(incidents.map(\.title) == ["checkout API 5xx", "disk 85% on db-2"])
        #expect(incidents.map(\.severity) == [.p1, .p3] && incidents.map(\.status) == [.investigating, .resolved])
        #expect(incidents[0].timeline.contains { $0.kind == .note && $0.text == "rolled back release 2026.12.1" })
        let note = try store.append(IncidentEvent(incident: 1, at: 2e9, writtenAt: 2e9, author: "b", kind: .note, text: "after"))
        #expect(note.seq == 5)
        let applied = try otherConnection(path).rows("SELECT identifier FROM grdb_migrations").compactMap { $0.first?.string }
        #expect(applied == ["v1 events"])
    }

    /// A store written earlier opens again with everything in it, and its schema version is
    /// recorded, so a later version knows which migrations to run.
    @Test func reopeningKeepsEverythingAndRecordsTheSchemaVersion() throws {
        let path = try temporaryStorePath()
        do {
            let store = try IncidentStore(path: path)
            let id = try store.open(title: "kept", severity: .p0, at: 10, author: "a")
            try store.append(IncidentEvent(incident: id, at: 20, writtenAt: 20, author: "a", kind: .note, text: "still here"))
        }
        let again = try IncidentStore(path: path)
        let incident = try #require(try again.incidents().first)
        #expect(incident.title == "kept" && incident.severity == .p0)
        #expect(incident.timeline.contains { $0.text == "still here" })
        let applied = try otherConnection(path).rows("SELECT identifier FROM grdb_migrations").compactMap { $0.first?.string }
        #expect(applied == ["v1 events"])
    }

    /// An entry of a kind a newer watchbill wrote is shown as a note, not dropped or fatal.
    @Test func unknownKindsFromANewerVersionReadAsNotes() throws {
        let path = try temporaryStorePath()
        let store = try IncidentStore(path: path)
        let id = try store.open(title: "x", severity: .p2, at: 10, author: "a")
        _ = try otherConnection(path).rows(
            "INSERT INTO events (incident, at, written_at, author, kind, field, text) VALUES (?, 30, 30, 'b', 'paged_vendor', '', 'called the vendor')",
            [.integer(id)])
        let incident = try #require(try store.incidents().first)
        #expect(incident.timeline.last?.kind == .note && incident.timeline.last?.text == "called the vendor")
    }
}

@Suite struct IncidentStoreSafetyTests {
    @Test func commitsAreSynchronousFull() throws {
        let store = try IncidentStore(path: try temporaryStorePath())
        #expect(try store.synchronousMode() == 2)
    }

    /// Another program's SQLite database in the store's place is refused before anything
    /// writes to it (opening it for writing would switch it to WAL and add the schema).
    @Test func someoneElsesDatabaseIsRefusedUntouched() throws {
        let path = try temporaryStorePath()
        try otherConnection(path).execute("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ann')")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try IncidentStore(path: path)
            Issue.record("opened someone else's database")
        } catch {
            #expect(error.description.contains("an SQLite database of something else (tables: contacts)"), "\(error)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    /// An alert opens one incident however many ask at once: the second joins the first.
    @Test func openOrJoinOpensOneIncidentPerAlert() throws {
        let path = try temporaryStorePath()
        let a = try IncidentStore(path: path), b = try IncidentStore(path: path)
        let first = try a.openOrJoin(title: "x", severity: .p1, detectedAt: 100, alertedAt: 110, alert: "{alertname=\"X\"}",
                                     summary: "x", at: 120, author: "a")
        let second = try b.openOrJoin(title: "x", severity: .p1, detectedAt: 100, alertedAt: 110, alert: "{alertname=\"X\"}",
                                      summary: "x", at: 121, author: "b")
        #expect(first.opened && !second.opened && first.id == second.id)
        // Resolved: a new occurrence opens a new incident, the same one does not.
        try a.append(IncidentEvent(incident: first.id, at: 130, writtenAt: 130, author: "a", kind: .resolved))
        let same = try a.openOrJoin(title: "x", severity: .p1, detectedAt: 100, alertedAt: 110, alert: "{alertname=\"X\"}",
                                    summary: "x", occurrenceSince: 100, at: 140, author: "w")
        #expect(!same.opened)
        let next = try a.openOrJoin(title: "x", severity: .p1, detectedAt: 200, alertedAt: 210, alert: "{alertname=\"X\"}",
                                    summary: "x", occurrenceSince: 200, at: 220, author: "w")
        #expect(next.opened && next.id != first.id)
        #expect(try a.incidents().count == 2)
    }
}
