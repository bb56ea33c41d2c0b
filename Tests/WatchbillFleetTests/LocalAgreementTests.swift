import Foundation
import LoopbackServers
import Testing
import WatchbillCollectors
import WatchbillCore
import WatchbillExposition
@testable import WatchbillFleet

private let nodeExporter = ["/usr/bin/prometheus-node-exporter", "/usr/bin/node_exporter"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// This host read twice at the same moments: by Debian's real node_exporter, scraped as
/// `--node` scrapes it, and by the local collector reading /proc. A responder must see the
/// same figures either way, within what one second of a live machine moves.
@Suite(.serialized, .enabled(if: nodeExporter != nil, "prometheus-node-exporter is needed"))
struct LocalAgreementTests {
    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test func aNodeExporterOnThisHostShowsWhatTheLocalCollectorShows() throws {
        let port = unusedLoopbackPort()
        let exporter = Process()
        exporter.executableURL = URL(fileURLWithPath: nodeExporter!)
        exporter.arguments = ["--web.listen-address=127.0.0.1:\(port)"]
        exporter.standardOutput = FileHandle.nullDevice
        exporter.standardError = FileHandle.nullDevice
        try exporter.run()
        defer { kill(exporter.processIdentifier, SIGKILL); exporter.waitUntilExit() }

        let fetcher = try HTTPFetcher()
        var remote = NodeExporterHost(), local = HostCollector(root: ProcRoot("/"), selfRoot: nil)
        var pairs: [(HostSnapshot, HostSnapshot)] = []
        for round in 0..<30 where pairs.count < 2 {
            if round > 0 { usleep(round < 10 ? 200_000 : 1_000_000) }
            let t = Self.monotonic(), wall = Date().timeIntervalSince1970
            guard case .body(let bytes, let type) = fetcher.fetch([FetchRequest(url: "http://127.0.0.1:\(port)/metrics", timeout: 5)])[0] else { continue }
            let mine = local.sample(time: t, wallClock: wall)
            let theirs = remote.snapshot(try Exposition.parse(bytes, source: "node_exporter", format: ExpositionFormat(contentType: type)),
                                         time: t, wallClock: wall, fallbackName: "127.0.0.1:\(port)")
            pairs.append((mine, theirs))
        }
        try #require(pairs.count == 2, "node_exporter did not answer")
        let (mine, theirs) = pairs[1]

        #expect(theirs.host.hostname == mine.host.hostname && theirs.host.kernel == mine.host.kernel)
        #expect(abs((theirs.uptimeSeconds ?? 0) - (mine.uptimeSeconds ?? -99)) < 2, "uptime \(String(describing: theirs.uptimeSeconds)) vs \(String(describing: mine.uptimeSeconds))")
        #expect(theirs.coreCount == mine.coreCount)
        // Memory: the same MemTotal; available and cache move a little in a second.
        let a = try #require(mine.memory), b = try #require(theirs.memory)
        #expect(a.total == b.total && a.swapTotal == b.swapTotal && a.availableEstimated == b.availableEstimated)
        #expect(abs(a.usedFraction - b.usedFraction) < 0.01, "used \(a.usedFraction) vs \(b.usedFraction)")
        #expect(abs(Double(a.cached) - Double(b.cached)) < 0.02 * Double(a.total), "cache \(a.cached) vs \(b.cached)")
        // Filesystems: the same mounts (those node_exporter's default filters keep), sizes
        // equal, use within a tenth of a point.
        var mounts = 0
        for fs in mine.filesystems ?? [] {
            guard let other = theirs.filesystems?.first(where: { $0.mount.mountPoint == fs.mount.mountPoint }) else { continue }
            mounts += 1
            #expect(other.size == fs.size && abs(Double(other.used) - Double(fs.used)) <= 0.001 * Double(fs.size), "\(fs.mount.mountPoint)")
        }
        #expect(mounts > 0, "no mount both show: \(mine.filesystems?.map(\.mount.mountPoint) ?? []) vs \(theirs.filesystems?.map(\.mount.mountPoint) ?? [])")
        // Disks and interfaces: the same names shown, partitions and loopback hidden on both.
        #expect(Set(theirs.disks?.map(\.name) ?? []) == Set(mine.disks?.map(\.name) ?? []))
        #expect(Set(theirs.interfaces?.map(\.name) ?? []) == Set(mine.interfaces?.map(\.name) ?? []))
        // Load: the same /proc/loadavg, read within a second.
        #expect(abs((theirs.load?.one ?? -9) - (mine.load?.one ?? 9)) < 0.5)
        // CPU over the same interval: close, though node_exporter's own scrape is in theirs.
        let busyA = try #require(mine.cpuTotal?.busy), busyB = try #require(theirs.cpuTotal?.busy)
        #expect(abs(busyA - busyB) < 0.15, "cpu \(busyA) vs \(busyB)")
    }
}
