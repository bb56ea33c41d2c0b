import Foundation
import Testing
import WatchbillCore
@testable import WatchbillScreen

/// Golden screens are text files beside the tests. A missing or different golden fails;
/// `WATCHBILL_RECORD_GOLDENS=1 swift test` rewrites them (then read the diff before committing).
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    /// One letter per role, so a golden shows each cell's role beside its text and a
    /// color regression (a value drawn `text` where it was `critical`) shows in the diff.
    /// Plain text is a space.
    static let roleLetters: [Role: Character] = [
        .text: " ", .muted: ".", .title: "t", .border: "-", .focusedBorder: "=", .header: "h", .selection: "s",
        .ok: "o", .warn: "w", .critical: "c", .cpuUser: "u", .cpuSystem: "y", .cpuIOWait: "i", .cpuOther: "x",
        .graphCPU: "g", .graphMemory: "m", .graphDisk: "d", .graphNetworkRx: "r", .graphNetworkTx: "e",
        .graphCPULow: "l", .graphCPUHigh: "j", .graphMemoryMid: "n", .graphMemoryHigh: "k", .memoryUsed: "a",
        .memoryCache: "b", .swap: "v", .latencyP50: "5", .latencyP95: "9", .latencyP99: "!",
        .phaseDNS: "1", .phaseConnect: "2", .phaseTLS: "3", .phaseFirstByte: "4", .phaseTransfer: "6",
    ]

    /// Each row as `text ┆ roles`.
    static func render(_ grid: Grid) -> String {
        let text = grid.lines
        return (0..<grid.height).map { y -> String in
            var roles = ""
            for x in 0..<grid.width where !grid[x, y].isContinuation {
                roles.append(roleLetters[grid[x, y].style.role] ?? "?")
            }
            return text[y] + " ┆ " + roles
        }.joined(separator: "\n") + "\n"
    }

    static func check(_ grid: Grid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".txt")
        let actual = render(grid)
        if ProcessInfo.processInfo.environment["WATCHBILL_RECORD_GOLDENS"] == "1" {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(Comment(rawValue: "no golden \(name).txt; record with WATCHBILL_RECORD_GOLDENS=1"),
                         sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            var diff: [String] = []
            for i in 0..<max(e.count, a.count) where (i < e.count ? e[i] : "") != (i < a.count ? a[i] : "") {
                diff.append("row \(i):\n  expected |\(i < e.count ? e[i] : "")|\n  actual   |\(i < a.count ? a[i] : "")|")
            }
            let message: String = "\(name) differs:\n" + diff.prefix(8).joined(separator: "\n")
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }
}

/// A fixed, believable host: 4 cores, swap in use, two filesystems, a busy disk, two
/// interfaces, and 300 samples of history. Every number is chosen, none measured.
enum SampleData {
    static func snapshot() -> HostSnapshot {
        var s = HostSnapshot(time: 300, wallClock: 1_764_400_000, host: HostInfo(hostname: "web-01", kernel: "6.1.0-28-amd64"))
        s.uptimeSeconds = 3 * 86400 + 4 * 3600 + 12 * 60
        var total = CPUUsage()
        total.user = 0.30; total.nice = 0.02; total.system = 0.10; total.iowait = 0.05; total.irq = 0.01
        total.softirq = 0.01; total.steal = 0.01; total.idle = 0.50
        s.cpuTotal = total
        for (i, busy) in [0.95, 0.40, 0.10, 0.0].enumerated() {
            var u = CPUUsage()
            u.user = busy; u.idle = 1 - busy
            s.cpuCores[i] = u
        }
        s.coreCount = 4
        s.load = LoadAverage(one: 2.5, five: 1.75, fifteen: 1.0, runnable: 3, total: 412)
        s.runnable = 3
        s.blocked = 1
        s.pressure = PressureSet(cpu: Pressure(someAvg10: 4.2, someAvg60: 3, someAvg300: 1),
                                 memory: Pressure(someAvg10: 0, someAvg60: 0, someAvg300: 0),
                                 io: Pressure(someAvg10: 12.5, someAvg60: 5, someAvg300: 2))
        let gib: UInt64 = 1 << 30
        s.memory = MemorySample(total: 16 * gib, available: 6 * gib, free: 1 * gib, buffers: 512 << 20,
                                cached: 4 * gib, swapTotal: 2 * gib, swapFree: 1536 << 20)
        s.filesystems = [
            FilesystemUsage(mount: Mount(mountPoint: "/", fsType: "ext4", source: "/dev/nvme0n1p2", device: "259:2"),
                            size: 100 * gib, available: 40 * gib, used: 55 * gib),
            FilesystemUsage(mount: Mount(mountPoint: "/var/lib/postgresql", fsType: "xfs", source: "/dev/sdb1", device: "8:17"),
                            size: 500 * gib, available: 20 * gib, used: 480 * gib),
        ]
        s.disks = [
            DiskRates(name: "nvme0n1", readBytesPerSecond: 12_500_000, writeBytesPerSecond: 3_400_000,
                      readsPerSecond: 800, writesPerSecond: 150, busy: 0.35, averageWaitMs: 0.4),
            DiskRates(name: "sdb", readBytesPerSecond: 0, writeBytesPerSecond: 95_000_000,
                      readsPerSecond: 0, writesPerSecond: 1200, busy: 0.97, averageWaitMs: 18.25),
        ]
        s.interfaces = [
            InterfaceRates(name: "eth0", rxBytesPerSecond: 1_250_000, txBytesPerSecond: 310_000, rxPacketsPerSecond: 950,
                           txPacketsPerSecond: 700, errorsPerSecond: 0, dropsPerSecond: 2),
            InterfaceRates(name: "docker0", rxBytesPerSecond: 0, txBytesPerSecond: 0, rxPacketsPerSecond: 0,
                           txPacketsPerSecond: 0, errorsPerSecond: 0, dropsPerSecond: 0),
        ]
        s.selfUsage = SelfUsage(cpuFraction: 0.004, rssBytes: 9_800_000)
        return s
    }

    /// A slow sine-like wave from 0 to max, deterministic.
    static func wave(_ n: Int, max: Double) -> [Double] {
        (0..<n).map { i in
            let phase = Double(i % 40) / 40
            return (phase < 0.5 ? phase * 2 : (1 - phase) * 2) * max
        }
    }

    static func data(points: Int = 300) -> DashboardData {
        DashboardData(snapshot: snapshot(),
                      cpu: GraphData(values: wave(points, max: 1), endIndex: points),
                      memory: GraphData(values: Array(repeating: 0.625, count: points), endIndex: points),
                      networkRx: GraphData(values: wave(points, max: 1_300_000), endIndex: points),
                      networkTx: GraphData(values: wave(points, max: 320_000), endIndex: points),
                      interfaceTraffic: ["eth0": GraphData(values: wave(points, max: 1_600_000), endIndex: points),
                                         "docker0": GraphData(values: Array(repeating: 0, count: points), endIndex: points)])
    }

    static func state(glyphs: GlyphSet = .unicode) -> AppState {
        var st = AppState(interval: 1, glyphs: glyphs)
        st.data = data()
        st.clock = "04:12:09"
        return st
    }
}

@Suite struct GoldenRoleLetterTests {
    @Test func everyRoleHasItsOwnLetter() {
        #expect(Set(Role.allCases) == Set(Golden.roleLetters.keys))
        #expect(Set(Golden.roleLetters.values).count == Role.allCases.count)
    }
}
