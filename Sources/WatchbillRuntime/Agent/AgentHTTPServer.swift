#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where the agent listens: `HOST:PORT`, an IPv4 address or a bracketed IPv6 one.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: UInt16
    public var isIPv6: Bool

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws(Invalid) -> ListenAddress {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw Invalid(description: "\(text): use HOST:PORT, e.g. 127.0.0.1:9101")
        }
        var host = String(text[..<colon])
        let v6 = host.hasPrefix("[") && host.hasSuffix("]")
        if v6 { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty && !v6 { host = "0.0.0.0" }
        var probe = [UInt8](repeating: 0, count: 16)
        guard inet_pton(v6 ? AF_INET6 : AF_INET, host, &probe) == 1 else {
            throw Invalid(description: "\(text): \(host) is not an IPv4 or [IPv6] address")
        }
        return ListenAddress(host: host, port: port, isIPv6: v6)
    }
}

/// The agent's HTTP/1.1 server: one thread, one `poll` over the listening socket and every
/// connection, so a scraper that stalls, trickles or holds a connection idle costs a slot
/// and a timeout, never a thread. Limits: `maxConnections` open at once (the oldest idle
/// one is closed to make room), headers within `headerTimeout` of the first byte, an idle
/// keep-alive connection closed after `idleTimeout`, a response not taken within
/// `writeTimeout` dropped. When the process is out of file descriptors, accepting pauses
/// and the oldest idle connection is closed: the server goes on, and says so once in the log.
public final class AgentHTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    public struct Limits: Sendable {
        public var maxConnections = 512
        public var headerTimeout = 10.0
        public var idleTimeout = 60.0
        public var writeTimeout = 10.0
        public init() {}
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    final class Connection {
        let fd: Int32
        var input: [UInt8] = []
        var output: [UInt8] = []
        var written = 0
        var closeAfterWrite = false
        /// When the request being read began (its first byte), or the last answer was sent.
        var since: Double
        var reading = false

        init(fd: Int32, now: Double) {
            self.fd = fd
            since = now
        }
    }

    let listener: Int32
    let limits: Limits
    let handler: Handler
    let log: @Sendable (String) -> Void
    let wake: (read: Int32, write: Int32)
    let stopping = Atomic<Bool>(false)
    var connections: [Int32: Connection] = [:]
    var problems = ProblemMemory()
    var lastRefusal = -Double.infinity
    static let quietSpell = 30.0
    /// Requests answered and connections closed by a limit, for tests and the log.
    public let served = Atomic<Int>(0)
    public let cut = Atomic<Int>(0)

    /// Binds and listens at once, so a taken port is an error at start.
    public init(address: ListenAddress, limits: Limits = Limits(), log: @escaping @Sendable (String) -> Void,
                handler: @escaping Handler) throws(Failure) {
        self.limits = limits
        self.handler = handler
        self.log = log
        let fd = socket(address.isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if address.isIPv6 {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = address.port.bigEndian
            inet_pton(AF_INET6, address.host, &a.sin6_addr)
            bound = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = address.port.bigEndian
            inet_pton(AF_INET, address.host, &a.sin_addr)
            bound = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "\(address): \(why)")
        }
        listener = fd
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            close(fd)
            throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
        }
        for end in pipeEnds { Self.configure(end) }
        wake = (pipeEnds[0], pipeEnds[1])
    }

    /// Non-blocking, and not inherited by a child (a notifier's hook).
    static func configure(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Serves until `stop`; call on the thread that is to serve.
    public func run() {
        while !stopping.load(ordering: .acquiring) {
            let now = Self.now()
            expire(now: now)
            if !problems.failingSources.isEmpty && now - lastRefusal > Self.quietSpell { report(nil) }
            var fds = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            let accepting = connections.count < limits.maxConnections
            fds.append(pollfd(fd: accepting ? listener : -1, events: Int16(POLLIN), revents: 0))
            let order = Array(connections.keys)
            for fd in order {
                let c = connections[fd]!
                fds.append(pollfd(fd: fd, events: Int16(c.output.isEmpty ? POLLIN : POLLOUT), revents: 0))
            }
            // Wake at least every second for the timeouts.
            let ready = poll(&fds, nfds_t(fds.count), 1000)
            if ready < 0 { if errno == EINTR { continue }; usleep(10_000); continue }
            if fds[0].revents != 0 { drainWake() }
            if fds[1].revents & Int16(POLLIN) != 0 { acceptAll(now: Self.now()) }
            for (k, fd) in order.enumerated() {
                let events = fds[k + 2].revents
                guard events != 0, let c = connections[fd] else { continue }
                if events & Int16(POLLOUT) != 0 { flush(c) } else { read(c) }
            }
        }
        for fd in Array(connections.keys) { drop(fd) }
        close(listener)
        close(wake.read)
        close(wake.write)
    }

    /// Stops `run` within a poll round; connections are closed.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        var b: UInt8 = 1
        _ = write(wake.write, &b, 1)
    }

    public var openConnections: Int { connections.count }

    func drainWake() {
        var buf = [UInt8](repeating: 0, count: 64)
        while Glibc.read(wake.read, &buf, buf.count) > 0 {}
    }

    func acceptAll(now: Double) {
        while connections.count < limits.maxConnections {
            let fd = accept(listener, nil, nil)
            if fd >= 0 {
                Self.configure(fd)
                connections[fd] = Connection(fd: fd, now: now)
                continue
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED: return
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                // Out of descriptors: make room by closing the connection idle the longest,
                // and let the next round accept again.
                report("cannot accept a connection: \(String(cString: strerror(errno))); the longest idle ones are closed to make room")
                closeIdlest()
                return
            default:
                report("accept: \(String(cString: strerror(errno)))")
                return
            }
        }
        // Full: the idlest connection gives way, so a held-open crowd cannot lock scrapers out.
        if connections.count >= limits.maxConnections { closeIdlest() }
    }

    /// A refusal is logged once; its end once it has not happened for `quietSpell` seconds.
    func report(_ problem: String?) {
        if problem != nil { lastRefusal = Self.now() }
        switch problems.note("listen", problem: problem) {
        case .failing(_, let cause)?: log("agent http: \(cause)")
        case .recovered?: log("agent http: accepting connections again")
        case nil: break
        }
    }

    func closeIdlest() {
        guard let idlest = connections.values.filter({ !$0.reading && $0.output.isEmpty }).min(by: { $0.since < $1.since })
            ?? connections.values.min(by: { $0.since < $1.since }) else { return }
        cut.add(1, ordering: .relaxed)
        drop(idlest.fd)
    }

    func read(_ c: Connection) {
        var buf = [UInt8](repeating: 0, count: 16 << 10)
        let n = Glibc.read(c.fd, &buf, buf.count)
        if n == 0 { drop(c.fd); return }
        if n < 0 {
            if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { drop(c.fd) }
            return
        }
        if c.input.isEmpty {
            c.reading = true
            c.since = Self.now()
        }
        c.input += buf[..<n]
        answer(c)
    }

    /// Answers the request the buffer holds, if a whole one is there.
    func answer(_ c: Connection) {
        switch HTTPRequestParser.parse(c.input) {
        case .incomplete:
            return
        case .refused(let status, let reason):
            respond(c, HTTPResponse(status: status, text: reason + "\n"), keepAlive: false, head: false)
        case .request(let request, let consumed):
            c.input.removeFirst(consumed)
            let response = handler(request)
            served.add(1, ordering: .relaxed)
            respond(c, response, keepAlive: request.keepAlive, head: request.method == "HEAD")
        }
    }

    func respond(_ c: Connection, _ response: HTTPResponse, keepAlive: Bool, head: Bool) {
        c.output = response.encoded(keepAlive: keepAlive, head: head)
        c.written = 0
        c.closeAfterWrite = !keepAlive
        c.reading = false
        c.since = Self.now()
        flush(c)
    }

    func flush(_ c: Connection) {
        while c.written < c.output.count {
            let n = c.output[c.written...].withUnsafeBytes { send(c.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
                drop(c.fd)
                return
            }
            c.written += n
        }
        c.output = []
        c.written = 0
        if c.closeAfterWrite { drop(c.fd); return }
        c.since = Self.now()
        // A pipelined request may already be waiting.
        if !c.input.isEmpty { c.reading = true; answer(c) }
    }

    func expire(now: Double) {
        for c in Array(connections.values) {
            let limit = !c.output.isEmpty ? limits.writeTimeout : c.reading ? limits.headerTimeout : limits.idleTimeout
            guard now - c.since > limit else { continue }
            if c.reading && c.output.isEmpty {
                // Headers too slow (or a trickled body): say so if the socket takes it, and close.
                _ = HTTPResponse(status: 408, text: "request timeout\n").encoded(keepAlive: false).withUnsafeBytes {
                    send(c.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                }
            }
            cut.add(1, ordering: .relaxed)
            drop(c.fd)
        }
    }

    func drop(_ fd: Int32) {
        connections[fd] = nil
        close(fd)
    }

    static func now() -> Double { Clock.monotonic() }
}
