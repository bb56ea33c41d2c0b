import Foundation
import Testing
@testable import WatchbillRuntime

/// The log rotates past its limit, at start and while running: the last two files' worth
/// kept, never more.
@Suite struct FileLogTests {
    @Test func rotatesPastItsLimit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("filelog-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("watchbill.log").path
        // A log already over the limit at start is moved aside first.
        try Data(repeating: UInt8(ascii: "x"), count: 2000).write(to: URL(fileURLWithPath: path))
        let sink = FileLogHandler.Sink(path: path, limit: 1000)
        #expect(FileLog.size(path + ".1") == 2000 && FileLog.size(path) == 0)
        // 30 lines of 50 bytes: past 1000 bytes the file turns over once.
        for i in 0..<30 { sink.write(String(format: "line %02d ", i) + String(repeating: "y", count: 41)) }
        let current = try String(contentsOfFile: path, encoding: .utf8), previous = try String(contentsOfFile: path + ".1", encoding: .utf8)
        #expect(previous.split(separator: "\n").count == 21 && previous.hasPrefix("line 00 "))
        #expect(current.split(separator: "\n").count == 9 && current.hasPrefix("line 21 "))
    }
}
