import Foundation
import LoopbackServers
import Synchronization
import Testing
import WatchbillCore
import WatchbillDomain
@testable import WatchbillProbes

/// Real probes against the loopback test server: every error class is produced for real.
@Suite(.serialized) struct ProbeRunnerTests {
    func server() throws -> TestServer { try #require(TestServer.shared, "python3 and openssl are needed for the test server") }

    func once(_ specs: [ProbeSpec]) throws -> [ProbeResult] {
        let results = Mutex<[ProbeResult]>([])
        let runner = try ProbeRunner(specs: specs) { r in results.withLock { $0.append(r) } }
        runner.runOnce()
        return results.withLock { $0 }.sorted { $0.probe < $1.probe }
    }

    func http(_ url: String, timeout: Double = 2, _ configure: (inout HTTPCheck) -> Void = { _ in }) -> ProbeSpec {
        var check = HTTPCheck(url: url)
        configure(&check)
        return ProbeSpec(name: url, kind: .http(check), interval: 5, timeout: timeout)
    }

    @Test func measuredLatencyFollowsTheServersDelay() throws {
        let s = try server()
        let r = try once([http(s.url("/delay/100")), http(s.url("/delay/300"))])
        #expect(r.count == 2)
        for (result, delay) in zip(r, [0.1, 0.3]) {
            #expect(result.succeeded, "\(result.message)")
            #expect(result.status == 200)
            // The delay is server think time: it shows up as time to first byte.
            #expect(result.phases.firstByte >= delay && result.phases.firstByte < delay + 0.15)
            #expect(result.duration >= delay && result.duration < delay + 0.2)
            #expect(abs(result.phases.total - result.duration) < 0.01)
            #expect(result.bytes == 2)
        }
    }

    /// A 150 ms endpoint probed every 200 ms for four seconds, as the Latency pane sees it:
    /// p50 within 150 to 180 ms (the delay plus loopback connect and the test server's own
    /// time), p95 within the delay and the 200 ms timeout (the tail takes the machine's load:
    /// CI runs every suite at once, and saw 180.01 ms), and a probe count that matches the
    /// schedule.
    @Test func percentilesOfRepeatedProbesMatchTheConfiguredDelay() throws {
        let s = try server()
        let results = Mutex<[ProbeResult]>([])
        let spec = ProbeSpec(name: "delay", kind: .http(HTTPCheck(url: s.url("/delay/150"))), interval: 0.2, timeout: 0.2)
        let runner = try ProbeRunner(specs: [spec]) { r in results.withLock { $0.append(r) } }
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread { runner.run(); done.signal() }
        Thread.sleep(forTimeInterval: 4.05)
        runner.stop()
        #expect(done.wait(timeout: .now() + 2) == .success)
        var recorder = LatencyRecorder()
        let all = results.withLock { $0 }
        for r in all where r.succeeded { recorder.record(r.duration, at: 1_000_000) }
        let p = recorder.percentiles(.oneMinute, at: 1_000_001)
        #expect(all.count >= 19 && all.count <= 21, "\(all.count) probes in 4 s at 200 ms")
        #expect(p.count == all.count, "failures: \(all.filter { !$0.succeeded }.map(\.message))")
        #expect(p.p50 >= 0.150 && p.p50 < 0.180, "p50 \(p.p50)")
        #expect(p.p95 >= 0.150 && p.p95 < 0.200, "p95 \(p.p95)")
    }

    @Test func refusedPortIsClassified() throws {
        let r = try once([http("http://127.0.0.1:\(unusedLoopbackPort())/")])
        #expect(r.first?.error == .refused)
    }

    @Test func unresolvableNameIsADNSError() throws {
        let r = try once([http("http://no-such-host.invalid/", timeout: 3)])
        #expect(r.first?.error == .dns || r.first?.error == .timeout, "\(r.first?.message ?? "")")
    }

    @Test func hangingServerTimesOutAtTheTimeout() throws {
        let s = try server()
        let r = try once([http(s.url("/hang"), timeout: 0.4)])
        #expect(r.first?.error == .timeout)
        #expect((r.first?.duration ?? 0) >= 0.39 && (r.first?.duration ?? 9) < 1.0)
    }

    @Test func selfSignedCertificateIsATLSError() throws {
        let s = try server()
        let r = try once([http(s.secureURL("/"))])
        #expect(r.first?.error == .tls, "\(r.first?.message ?? "")")
    }

    @Test func trustedCertificateSucceedsAndRecordsItsExpiry() throws {
        let s = try server()
        let r = try once([http(s.secureURL("/")) { $0.caFile = s.certificate }])
        let result = try #require(r.first)
        #expect(result.succeeded, "\(result.message)")
        #expect(result.phases.tls > 0)
        let days = ((result.certificateExpiry ?? 0) - Date().timeIntervalSince1970) / 86_400
        #expect(days > 29 && days <= 30.01)
    }

    @Test func http500IsAStatusError() throws {
        let s = try server()
        let r = try once([http(s.url("/status/500"))])
        #expect(r.first?.error == .httpStatus)
        #expect(r.first?.status == 500)
        #expect(r.first?.message.contains("HTTP 500") == true)
    }

    @Test func expectedStatusRangesAreHonoured() throws {
        let s = try server()
        let r = try once([http(s.url("/status/404")) { $0.expectedStatus = [404...404] }])
        #expect(r.first?.succeeded == true)
    }

    @Test func bodyMismatchAndMatch() throws {
        let s = try server()
        let r = try once([http(s.url("/body/hello-world")) { $0.bodyContains = "world" },
                      http(s.url("/body/hello")) { $0.bodyContains = "world" }])
        #expect(r[0].succeeded)
        #expect(r[1].error == .bodyMismatch)
    }

    @Test func endlessBodyIsCutAtTheCap() throws {
        let s = try server()
        let r = try once([http(s.url("/endless")) { $0.maxBodyBytes = 100_000 },
                      http(s.url("/endless")) { $0.maxBodyBytes = 100_000; $0.bodyContains = "done" }])
        #expect(r[0].succeeded, "\(r[0].message)")
        #expect(r[0].truncated && r[0].bytes == 100_000)
        #expect(r[1].error == .bodyMismatch)
        #expect(r[1].bytes == 100_000)
    }

    @Test func tcpProbesConnectAndHandshake() throws {
        let s = try server()
        let specs = [
            ProbeSpec(name: "tcp", kind: .tcp(TCPCheck(address: "127.0.0.1:\(s.plain)"))),
            ProbeSpec(name: "closed", kind: .tcp(TCPCheck(address: "127.0.0.1:\(unusedLoopbackPort())"))),
            ProbeSpec(name: "tls", kind: .tcp(TCPCheck(address: "localhost:\(s.tls)", tls: true, caFile: s.certificate))),
        ]
        let r = try once(specs)
        #expect(r[0].succeeded, "\(r[0].message)")
        #expect(r[0].phases.tls == 0)
        #expect(r[1].error == .refused)
        #expect(r[2].succeeded, "\(r[2].message)")
        #expect(r[2].phases.tls > 0 && r[2].certificateExpiry != nil)
    }

    @Test func dnsProbeResolvesLocalhost() throws {
        let r = try once([ProbeSpec(name: "dns", kind: .dns(DNSCheck(name: "localhost")))])
        #expect(r.first?.succeeded == true)
        #expect((r.first?.bytes ?? 0) >= 1)
    }

    @Test func aHangingTargetNeverDelaysAnother() throws {
        let s = try server()
        let results = Mutex<[ProbeResult]>([])
        let specs = [ProbeSpec(name: "fast", kind: .http(HTTPCheck(url: s.url("/delay/5"))), interval: 0.2, timeout: 0.2),
                     ProbeSpec(name: "hang", kind: .http(HTTPCheck(url: s.url("/hang"))), interval: 0.5, timeout: 0.5)]
        let runner = try ProbeRunner(specs: specs) { r in results.withLock { $0.append(r) } }
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread { runner.run(); done.signal() }
        Thread.sleep(forTimeInterval: 2.1)
        runner.stop()
        #expect(done.wait(timeout: .now() + 2) == .success)
        let all = results.withLock { $0 }
        let fast = all.filter { $0.probe == 0 }
        // 2.1 s at 0.2 s: 10 or 11 starts, whatever the other target does.
        #expect(fast.count >= 9 && fast.count <= 11, "\(fast.count)")
        let fastOK = fast.allSatisfy(\.succeeded)
        let hangTimedOut = all.filter { $0.probe == 1 }.allSatisfy { $0.error == .timeout }
        #expect(fastOK)
        #expect(hangTimedOut)
        let c = runner.counters
        #expect(c.missed == 0)
        #expect(c.lags.sorted()[Int(Double(c.lags.count) * 0.99) - 1] < 0.05)
    }
}
