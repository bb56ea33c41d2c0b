import Foundation
@testable import WatchbillCollectors
import WatchbillCore

/// Fixture trees live beside the tests; found from this file's path so no resource
/// bundle is needed.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func root(_ name: String) -> ProcRoot { ProcRoot(directory.appendingPathComponent(name).path) }

    static func bytes(_ name: String, _ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: directory.appendingPathComponent(name + path)))
    }

    /// A writable copy of a fixture tree, for tests that change files between samples.
    static func copy(_ name: String) throws -> URL {
        let dst = FileManager.default.temporaryDirectory.appendingPathComponent("watchbill-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: directory.appendingPathComponent(name), to: dst)
        return dst
    }
}

/// Sizes without real mounts: every filesystem 100 GiB with 25 GiB available.
struct FakeStatter: FilesystemStatter {
    func usage(of mount: Mount) -> FilesystemUsage? {
        let gib: UInt64 = 1 << 30
        return FilesystemUsage(mount: mount, size: 100 * gib, available: 25 * gib, used: 70 * gib)
    }
}

extension URL {
    func write(_ path: String, _ text: String) throws {
        try text.write(to: appendingPathComponent(path), atomically: false, encoding: .utf8)
    }
}
