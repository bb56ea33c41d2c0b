import Foundation
import LoopbackServers
import Testing
import WatchbillCore
import WatchbillExposition
@testable import WatchbillFleet

/// Real GETs on loopback: good answers, and every way a target goes wrong, each reported
/// in its own words, all at once, and never longer than the slowest timeout.
@Suite(.enabled(if: ExporterServer.shared != nil, "python3 is needed for the exporter test server"))
struct HTTPFetcherTests {
    let server = ExporterServer.shared!

    @Test func manyTargetsAtOnceEachWithItsOwnOutcome() throws {
        let fetcher = try HTTPFetcher(maxBytes: 1 << 20)
        let requests = [
            FetchRequest(url: server.url("/metrics", 0), timeout: 5),
            FetchRequest(url: server.url("/metrics", 1), timeout: 5),
            FetchRequest(url: server.url("/status/500"), timeout: 5),
            FetchRequest(url: server.url("/hang"), timeout: 0.5),
            FetchRequest(url: "http://127.0.0.1:\(unusedLoopbackPort())/metrics", timeout: 5),
            FetchRequest(url: server.url("/half"), timeout: 5),
            FetchRequest(url: server.url("/auth/s3cret"), timeout: 5),
            FetchRequest(url: server.url("/auth/s3cret"), headers: [Header(name: "Authorization", value: Secret("Bearer s3cret"))], timeout: 5),
        ]
        let started = Date()
        let results = fetcher.fetch(requests)
        // The hang costs its 0.5 s timeout, once, not added to the others.
        #expect(Date().timeIntervalSince(started) < 3)
        guard case .body(let a, _) = results[0], case .body(let b, _) = results[1] else {
            Issue.record("\(results[0]) \(results[1])")
            return
        }
        let families = try Exposition.parse(a, source: "a")
        #expect(families.contains { $0.name == "node_cpu_seconds_total" })
        #expect(String(decoding: b, as: UTF8.self).contains("nodename=\"host-\(server.ports[1])\""))
        #expect(results[2] == .failed("HTTP 500"))
        #expect(results[3] == .failed("timeout"))
        #expect(results[4] == .failed("refused"))
        guard case .failed(let half) = results[5] else { Issue.record("half a body passed: \(results[5])"); return }
        #expect(half.hasPrefix("connection dropped"), "\(half)")
        #expect(results[6] == .failed("HTTP 401"))
        guard case .body = results[7] else { Issue.record("the bearer token was not sent: \(results[7])"); return }
    }

    /// TLS is verified: a self-signed exporter fails with curl's reason, and is scraped
    /// once its certificate is the CA file given.
    @Test func tlsVerifiedAgainstTheCAFile() throws {
        let port = try #require(server.tlsPort), cert = try #require(server.certificate)
        let request = FetchRequest(url: "https://localhost:\(port)/metrics", timeout: 5)
        let unknown = try HTTPFetcher().fetch([request])
        guard case .failed(let why) = unknown.first else { Issue.record("a self-signed certificate was trusted"); return }
        #expect(why.hasPrefix("TLS: ") && why.contains("certificate"), "\(why)")
        let trusted = try HTTPFetcher(caFile: cert).fetch([request, FetchRequest(url: "https://127.0.0.1:\(port)/metrics", timeout: 5)])
        for result in trusted {
            guard case .body(let bytes, _) = result else { Issue.record("\(result)"); continue }
            #expect(try Exposition.parse(bytes, source: "tls").contains { $0.name == "node_uname_info" })
        }
        let missing = try HTTPFetcher(caFile: "/nonexistent/ca.pem").fetch([request])
        guard case .failed(let bad) = missing.first else { Issue.record("a missing CA file was ignored"); return }
        #expect(bad.hasPrefix("TLS: "), "\(bad)")
    }

    /// Asked as Prometheus asks, an exporter that speaks OpenMetrics answers in it and says
    /// so in its Content-Type; the fleet reads either answer into the same host.
    @Test func openMetricsWhenTheExporterOffersIt() throws {
        let results = try HTTPFetcher().fetch([FetchRequest(url: server.url("/negotiated")),
                                               FetchRequest(url: server.url("/negotiated"), accept: "text/plain;version=0.0.4")])
        guard case .body(let om, let omType) = results[0], case .body(let text, let textType) = results[1] else {
            Issue.record("\(results)")
            return
        }
        #expect(ExpositionFormat(contentType: omType) == .openMetrics && String(decoding: om.suffix(6), as: UTF8.self) == "# EOF\n")
        #expect(ExpositionFormat(contentType: textType) == .text && !String(decoding: text, as: UTF8.self).contains("# EOF"))
        var fleet = Fleet(targets: ["om:1", "text:1"].map { FleetTarget($0)! }, history: 60, interval: 5)
        fleet.update(results, time: 0, wallClock: 1000, seconds: 0.1)
        let a = try #require(fleet.hosts[0].latest), b = try #require(fleet.hosts[1].latest)
        #expect(fleet.hosts.allSatisfy { $0.status == .up })
        #expect(a.host == b.host && a.memory == b.memory && a.filesystems == b.filesystems && a.coreCount == b.coreCount && a.load == b.load)
        #expect(a.memory != nil && !(a.filesystems ?? []).isEmpty && a.coreCount > 0)
    }

    /// A server that sends its headers and then nothing, or trickles its body a byte at a
    /// time, is cut at the scrape's timeout like one that never answers.
    @Test func stalledAndTricklingAnswersAreCutAtTheTimeout() throws {
        let started = Date()
        let results = try HTTPFetcher().fetch([FetchRequest(url: server.url("/stall"), timeout: 1), FetchRequest(url: server.url("/trickle"), timeout: 1)])
        #expect(results == [.failed("timeout"), .failed("timeout")])
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test func aBodyOverTheLimitFails() throws {
        // The fixture is about 100 kB.
        let fetcher = try HTTPFetcher(maxBytes: 8192)
        #expect(fetcher.fetch([FetchRequest(url: server.url("/metrics"))]) == [.failed("larger than 8 KiB")])
    }
}
