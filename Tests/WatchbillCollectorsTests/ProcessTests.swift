import Foundation
import Testing
@testable import WatchbillCollectors
import WatchbillCore

/// Fixtures/procs: systemd (cgroup v2), a kernel thread, an nginx worker of www-data, a
/// postgres in docker (cgroup v1), a zombie, a process with parentheses in its name and a
/// long non-UTF-8 command line, a kubernetes pod, and a PID that vanished mid-scan.
@Suite struct ProcessParserTests {
    @Test func statWithParenthesesInTheName() throws {
        let s = try ProcessParsers.stat(Fixture.bytes("procs", "/proc/400/stat"))
        #expect(s.pid == 400)
        #expect(s.name == "my (odd) name")
        #expect(s.state == "S")
        #expect(s.parentPID == 1)
        #expect(s.cpuTicks == 10)
        #expect(s.threads == 2)
        #expect(s.startTicks == 8000)
        #expect(s.residentPages == 100)
        #expect(!s.isKernelThread)
    }

    @Test func realStatOfThisProcess() throws {
        let s = try ProcessParsers.stat([UInt8](Data(contentsOf: URL(fileURLWithPath: "/proc/self/stat"))))
        #expect(s.pid == getpid())
        #expect(s.threads >= 1)
        #expect(s.residentPages > 0)
    }

    @Test func kernelThreadFlag() throws {
        #expect(try ProcessParsers.stat(Fixture.bytes("procs", "/proc/2/stat")).isKernelThread)
    }

    @Test func truncatedStatIsAnError() {
        #expect(throws: SourceError.self) { try ProcessParsers.stat(Array("12 (x) S 1 2 3".utf8)) }
        #expect(throws: SourceError.self) { try ProcessParsers.stat(Array("garbage".utf8)) }
    }

    @Test func ioAndStatusAndCmdline() throws {
        let io = try #require(ProcessParsers.io(Fixture.bytes("procs", "/proc/100/io")))
        #expect(io.read == 4096 && io.written == 8192)
        #expect(ProcessParsers.uid(fromStatus: try Fixture.bytes("procs", "/proc/100/status")) == 33)
        #expect(ProcessParsers.commandLine(Array("postgres\0-D\0/data\0".utf8)) == "postgres -D /data")
        #expect(ProcessParsers.commandLine([0x63, 0x61, 0x66, 0xE9, 0]) == "caf\u{FFFD}")
    }

    @Test func cgroupLayouts() {
        #expect(ProcessParsers.cgroup(Array("0::/system.slice/nginx.service\n".utf8)) == "/system.slice/nginx.service")
        #expect(ProcessParsers.cgroup(Array("12:pids:/docker/abc\n11:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n".utf8))
                == "/docker/abc")
        #expect(ProcessParsers.unitName(cgroup: "/system.slice/nginx.service") == "nginx.service")
        #expect(ProcessParsers.unitName(cgroup: "/docker/4f2a9c1d7e3b5a6f7c8d9e0f") == "docker:4f2a9c1d7e3b")
        #expect(ProcessParsers.unitName(cgroup: "/system.slice/docker-0123456789abcdef99.scope") == "docker:0123456789ab")
        #expect(ProcessParsers.unitName(cgroup: "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234abcd_5678.slice/cri-containerd-0123456789abcdef0123.scope")
                == "cri-containerd:0123456789ab")
        #expect(ProcessParsers.unitName(cgroup: "/kubepods/burstable/pod1234abcd-5678/0123456789abcdef") == "k8s:pod1234abcd-567")
        #expect(ProcessParsers.unitName(cgroup: "/user.slice/user-1000.slice/session-3.scope") == "session-3.scope")
        #expect(ProcessParsers.unitName(cgroup: "/") == "")
    }
}

@Suite struct ProcessScannerTests {
    @Test func scansEveryProcessAndSkipsTheVanished() throws {
        var scanner = ProcessScanner(root: Fixture.root("procs"), ticksPerSecond: 100, pageSize: 4096)
        let all = scanner.scan(time: 0, memoryTotal: 1 << 30)
        #expect(all.map(\.sample.pid).sorted() == [1, 2, 100, 200, 300, 400, 500])
        let byPID = Dictionary(uniqueKeysWithValues: all.map { ($0.sample.pid, $0) })
        let nginx = try #require(byPID[100])
        #expect(nginx.user == "www-data")
        #expect(nginx.unit == "nginx.service")
        #expect(nginx.sample.commandLine == "nginx: worker process")
        #expect(nginx.sample.residentBytes == 25600 * 4096)
        #expect(nginx.memoryFraction == Double(25600 * 4096) / Double(1 << 30))
        #expect(nginx.cpuFraction == nil)
        #expect(nginx.startedAfterBoot == 50)
        #expect(byPID[2]?.sample.commandLine == "[kthreadd]")
        #expect(byPID[2]?.sample.isKernelThread == true)
        #expect(byPID[300]?.sample.state == "Z")
        #expect(byPID[300]?.sample.commandLine == "defunct-child")
        #expect(byPID[200]?.unit == "docker:4f2a9c1d7e3b")
        #expect(byPID[200]?.user == "postgres")
        #expect(byPID[200]?.sample.readBytes == nil, "no io file: unavailable, not zero")
        let odd = try #require(byPID[400])
        #expect(odd.sample.commandLine.hasPrefix("/opt/tool --label=caf\u{FFFD} xxxx"))
        #expect(odd.sample.commandLine.utf8.count <= 4096 + 2)
        #expect(byPID[500]?.unit == "cri-containerd:0123456789ab")
    }

    @Test func ratesBetweenScansAndPIDReuse() throws {
        let dir = try Fixture.copy("procs")
        defer { try? FileManager.default.removeItem(at: dir) }
        var scanner = ProcessScanner(root: ProcRoot(dir.path), ticksPerSecond: 100, pageSize: 4096)
        _ = scanner.scan(time: 10, memoryTotal: 1 << 30)
        // Two seconds later: nginx used 150 more ticks (0.75 of a CPU) and wrote 1 MB;
        // PID 500 is a new process (another start time) that reuses the number.
        let nginx = try String(contentsOf: dir.appendingPathComponent("proc/100/stat"), encoding: .utf8)
            .replacingOccurrences(of: " 1000 200 ", with: " 1100 250 ")
        try dir.write("proc/100/stat", nginx)
        try dir.write("proc/100/io", "read_bytes: 4096\nwrite_bytes: 1008192\n")
        let reused = try String(contentsOf: dir.appendingPathComponent("proc/500/stat"), encoding: .utf8)
            .replacingOccurrences(of: " 9000 ", with: " 9500 ")
        try dir.write("proc/500/stat", reused)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("proc/200"))
        let next = scanner.scan(time: 12, memoryTotal: 1 << 30)
        let byPID = Dictionary(uniqueKeysWithValues: next.map { ($0.sample.pid, $0) })
        #expect(byPID[100]?.cpuFraction == 0.75)
        #expect(byPID[100]?.writeBytesPerSecond == 500_000)
        #expect(byPID[100]?.readBytesPerSecond == 0)
        #expect(byPID[500]?.cpuFraction == nil)
        #expect(byPID[200] == nil)
        #expect(byPID[1]?.cpuFraction == 0)
    }
}
