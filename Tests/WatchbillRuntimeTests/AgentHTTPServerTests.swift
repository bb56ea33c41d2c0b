import Foundation
import Testing
import WatchbillRuntime

/// The agent's request reading, byte by byte as a connection delivers it.
@Suite struct HTTPRequestParserTests {
    func parse(_ text: String) -> HTTPRequestParser.Outcome { HTTPRequestParser.parse(Array(text.utf8)) }

    @Test func aScrapeAndWhatItTook() {
        let text = "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization:  Bearer t \r\nAccept: text/plain\r\nAccept: */*\r\n\r\nGET /healthz HTTP/1.1\r\n"
        guard case .request(let r, let consumed) = parse(text) else { Issue.record("\(parse(text))"); return }
        #expect(r.method == "GET" && r.path == "/metrics" && r.query == "x=1" && r.version == "HTTP/1.1")
        #expect(r.headers["authorization"] == "Bearer t" && r.headers["accept"] == "text/plain, */*" && r.keepAlive)
        // The pipelined second request stays in the buffer.
        #expect(consumed == text.utf8.count - "GET /healthz HTTP/1.1\r\n".utf8.count)
        #expect(parse("GET /healthz HTTP/1.1\r\n") == .incomplete)
    }

    @Test func bodiesAndConnectionHeaders() {
        let text = "POST /x HTTP/1.0\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello!"
        guard case .request(let r, let consumed) = parse(text) else { Issue.record("no request"); return }
        // The body is the five bytes the length says; the sixth is the next request's.
        #expect(r.body == Array("hello".utf8) && consumed == text.utf8.count - 1 && r.keepAlive)
        #expect(parse("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel") == .incomplete)
        guard case .request(let closing, _) = parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") else { return }
        #expect(!closing.keepAlive)
        guard case .request(let old, _) = parse("GET / HTTP/1.0\r\n\r\n") else { return }
        #expect(!old.keepAlive)
    }

    @Test func whatIsRefused() {
        #expect(parse("GET /metrics HTTP/2\r\n\r\n") == .refused(status: 505, reason: "HTTP/2 is not HTTP/1.x"))
        #expect(parse("GARBAGE\r\n\r\n") == .refused(status: 400, reason: "a bad request line"))
        #expect(parse("GET metrics HTTP/1.1\r\n\r\n") == .refused(status: 400, reason: "a bad request line"))
        #expect(parse("GET / HTTP/1.1\r\nNo colon here\r\n\r\n") == .refused(status: 400, reason: "a bad header field"))
        #expect(parse("GET / HTTP/1.1\r\nBad name: x\r\n\r\n") == .refused(status: 400, reason: "a bad header field"))
        #expect(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == .refused(status: 501, reason: "chunked bodies are not taken"))
        #expect(parse("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") == .refused(status: 400, reason: "a bad Content-Length"))
        #expect(parse("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n") == .refused(status: 413, reason: "a body over 1048576 bytes"))
        // Headers that never end are not buffered past the limit.
        let endless = "GET / HTTP/1.1\r\nX-Long: " + String(repeating: "a", count: HTTPRequestParser.maxHeaderBytes)
        #expect(parse(endless) == .refused(status: 431, reason: "headers over 16384 bytes"))
        let many = "GET / HTTP/1.1\r\n" + (0...100).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(parse(many) == .refused(status: 431, reason: "over 100 header fields"))
    }

    @Test func responsesOnTheWire() {
        let r = HTTPResponse(status: 401, text: "no\n", headers: [("WWW-Authenticate", "Bearer realm=\"w\"")])
        #expect(String(decoding: r.encoded(keepAlive: true), as: UTF8.self)
                == "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain; charset=utf-8\r\nWWW-Authenticate: Bearer realm=\"w\"\r\nContent-Length: 3\r\n\r\nno\n")
        #expect(String(decoding: r.encoded(keepAlive: false, head: true), as: UTF8.self).hasSuffix("Content-Length: 3\r\nConnection: close\r\n\r\n"))
    }
}

/// The server on loopback, with short limits: it answers through stalls, idle crowds and
/// floods, and closes what a limit says to close.
@Suite(.serialized) struct AgentHTTPServerTests {
    final class Running {
        let server: AgentHTTPServer
        let port: UInt16
        let thread: Thread
        let logged = LockedLines()

        init(limits: AgentHTTPServer.Limits = .init()) throws {
            var lastError: Error?
            for _ in 0..<20 {
                let port = UInt16.random(in: 20000...60000)
                let lines = logged
                do {
                    server = try AgentHTTPServer(address: try ListenAddress.parse("127.0.0.1:\(port)"), limits: limits, log: { lines.append($0) }) { request in
                        HTTPResponse(status: request.path == "/metrics" ? 200 : 404, text: "path \(request.path)\n")
                    }
                    self.port = port
                    let s = server
                    thread = Thread { s.run() }
                    thread.start()
                    return
                } catch { lastError = error }
            }
            throw lastError!
        }

        func stop() { server.stop() }
    }

    final class LockedLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    /// A raw loopback connection (blocking, with a receive timeout).
    final class Client {
        let fd: Int32
        init?(port: UInt16, timeout: Double = 3) {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = port.bigEndian
            a.sin_addr.s_addr = inet_addr("127.0.0.1")
            var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            let ok = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            if ok != 0 { close(fd); return nil }
        }
        func send(_ text: String) { _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }
        /// Everything until the peer closes or the timeout.
        func readAll() -> String {
            var out: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buf, buf.count, 0)
                if n <= 0 { break }
                out += buf[..<n]
            }
            return String(decoding: out, as: UTF8.self)
        }
        /// One response of a known body, on a connection kept open.
        func readResponse() -> String {
            var out: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: out, as: UTF8.self).hasSuffix("\n\n") && !String(decoding: out, as: UTF8.self).contains("path /metrics\n") {
                let n = recv(fd, &buf, buf.count, 0)
                if n <= 0 { break }
                out += buf[..<n]
            }
            return String(decoding: out, as: UTF8.self)
        }
        deinit { close(fd) }
    }

    @Test func keepAliveHeadAndNotFound() throws {
        let s = try Running()
        defer { s.stop() }
        let c = try #require(Client(port: s.port))
        c.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(c.readResponse().hasPrefix("HTTP/1.1 200 OK\r\n"))
        c.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(c.readResponse().contains("path /metrics\n"), "the connection was kept for a second request")
        let head = try #require(Client(port: s.port))
        head.send("HEAD /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
        let answer = head.readAll()
        #expect(answer.hasPrefix("HTTP/1.1 404 Not Found\r\n") && answer.hasSuffix("Connection: close\r\n\r\n"), "\(answer)")
    }

    @Test func aStalledRequestIsCutAndOthersAreServedMeanwhile() throws {
        var limits = AgentHTTPServer.Limits()
        limits.headerTimeout = 0.5
        limits.idleTimeout = 1
        let s = try Running(limits: limits)
        defer { s.stop() }
        let stalled = try #require(Client(port: s.port))
        stalled.send("GET /metrics HTTP/1.1\r\nHost: x\r\n")  // and nothing more
        let idle = try #require(Client(port: s.port))
        let t0 = Date()
        let other = try #require(Client(port: s.port))
        other.send("GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(other.readAll().hasPrefix("HTTP/1.1 200"))
        #expect(Date().timeIntervalSince(t0) < 0.5, "served while another request stalled")
        let cut = stalled.readAll()
        #expect(cut.hasPrefix("HTTP/1.1 408 Request Timeout"), "\(cut)")
        #expect(Date().timeIntervalSince(t0) < 2.5)
        // The idle connection is closed after its limit: the read ends without an answer.
        #expect(idle.readAll() == "" && Date().timeIntervalSince(t0) < 3)
        #expect(s.server.cut.load(ordering: .relaxed) == 2)
    }

    @Test func hugeHeadersAreRefusedNotBuffered() throws {
        let s = try Running()
        defer { s.stop() }
        let c = try #require(Client(port: s.port))
        c.send("GET /metrics HTTP/1.1\r\nCookie: " + String(repeating: "x", count: 40_000) + "\r\n\r\n")
        #expect(c.readAll().hasPrefix("HTTP/1.1 431 Request Header Fields Too Large"))
    }

    @Test func aCrowdHeldOpenDoesNotLockAScraperOut() throws {
        var limits = AgentHTTPServer.Limits()
        limits.maxConnections = 64
        let s = try Running(limits: limits)
        defer { s.stop() }
        // 200 connections opened and left idle: more than the server keeps.
        var crowd: [Client] = []
        for _ in 0..<200 { if let c = Client(port: s.port, timeout: 0.2) { crowd.append(c) } }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(s.server.openConnections <= 64)
        let t0 = Date()
        let scraper = try #require(Client(port: s.port))
        scraper.send("GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(scraper.readAll().hasPrefix("HTTP/1.1 200"))
        #expect(Date().timeIntervalSince(t0) < 1)
        #expect(crowd.count == 200)
    }
}
