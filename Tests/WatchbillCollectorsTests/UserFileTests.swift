import Foundation
import Testing
@testable import WatchbillCollectors

/// Files people name are read whole but bounded: a FIFO, a device or a directory is
/// refused at once (a FIFO used to block before the first frame, `/dev/zero` to read until
/// 16 GB), and a file past its limit is refused, never cut short and parsed.
@Suite struct UserFileTests {
    @Test func regularFilesDevicesFIFOsAndLimits() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("userfile-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("theme").path
        try Data("ok = #010203\n".utf8).write(to: URL(fileURLWithPath: file))
        #expect(UserFile.read(file, limit: 1024) == .success(Array("ok = #010203\n".utf8)))
        #expect(UserFile.read(file, limit: 4) == .failure(UserFile.Problem(description: "larger than 4 bytes")))
        #expect(UserFile.read("/dev/zero", limit: 1 << 20) == .failure(UserFile.Problem(description: "a device, not a file to read")))
        #expect(UserFile.read(dir.path, limit: 1 << 20) == .failure(UserFile.Problem(description: "a directory, not a file to read")))
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Returns at once: no writer is waited for.
        let started = Date()
        #expect(UserFile.read(fifo, limit: 1 << 20) == .failure(UserFile.Problem(description: "a FIFO, not a file to read")))
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(UserFile.read(dir.appendingPathComponent("missing").path, limit: 10) == .failure(UserFile.Problem(description: "No such file or directory")))
        #expect(throws: UserFile.Problem(description: "/dev/zero: cannot read: a device, not a file to read")) { try UserFile.text("/dev/zero", limit: 1 << 20) }
        #expect(try UserFile.text(file, limit: 1 << 20) == "ok = #010203\n")
    }
}
