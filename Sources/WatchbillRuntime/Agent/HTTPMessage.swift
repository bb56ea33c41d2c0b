/// One HTTP/1.1 request as the agent's server reads it: what a scraper, a health check or a
/// pipeline sends. Header names are lowercased; the body is there when a Content-Length said so.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The path without the query.
    public var path: String
    public var query: String
    public var version: String
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", version: String = "HTTP/1.1", headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// HTTP/1.1 keeps the connection unless asked not to; 1.0 closes it unless asked to keep it.
    public var keepAlive: Bool {
        let connection = headers["connection"]?.lowercased() ?? ""
        return version == "HTTP/1.0" ? connection.contains("keep-alive") : !connection.contains("close")
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, text: String, headers: [(String, String)] = []) {
        self.init(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")] + headers, body: Array(text.utf8))
    }

    public static func == (a: HTTPResponse, b: HTTPResponse) -> Bool {
        a.status == b.status && a.body == b.body && a.headers.map { $0.0 + ":" + $0.1 } == b.headers.map { $0.0 + ":" + $0.1 }
    }

    static let reasons = [200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
                          408: "Request Timeout", 413: "Content Too Large", 431: "Request Header Fields Too Large",
                          500: "Internal Server Error", 501: "Not Implemented", 503: "Service Unavailable",
                          505: "HTTP Version Not Supported"]

    /// The bytes on the wire; a HEAD answer has the GET's headers and no body.
    public func encoded(keepAlive: Bool, head: Bool = false) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(Self.reasons[status] ?? "Status")\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.count)\r\n"
        text += keepAlive ? "\r\n" : "Connection: close\r\n\r\n"
        return Array(text.utf8) + (head ? [] : body)
    }
}

/// Reads requests from a connection's bytes, within limits: a request that breaks one is
/// answered with its status and the connection closed, never buffered without end.
public enum HTTPRequestParser {
    public static let maxHeaderBytes = 16 << 10
    public static let maxHeaders = 100
    public static let maxBodyBytes = 1 << 20

    public enum Outcome: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A request, and how many bytes of the buffer it took.
        case request(HTTPRequest, consumed: Int)
        /// A request that cannot be served: answer with this status and close.
        case refused(status: Int, reason: String)
    }

    public static func parse(_ buffer: [UInt8]) -> Outcome {
        guard let end = headerEnd(buffer) else {
            return buffer.count > maxHeaderBytes ? .refused(status: 431, reason: "headers over \(maxHeaderBytes) bytes") : .incomplete
        }
        guard end <= maxHeaderBytes else { return .refused(status: 431, reason: "headers over \(maxHeaderBytes) bytes") }
        // Header bytes are ASCII in practice; anything else is kept as Latin-1 would, never trusted.
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        // A blank line or two before the request line is allowed (RFC 9112 2.2).
        while lines.first == "" { lines.removeFirst() }
        guard let requestLine = lines.first else { return .refused(status: 400, reason: "no request line") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].hasPrefix("/") || parts[1] == "*" else {
            return .refused(status: 400, reason: "a bad request line")
        }
        let version = String(parts[2])
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { return .refused(status: 505, reason: "\(version.prefix(16)) is not HTTP/1.x") }
        let target = parts[1]
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var request = HTTPRequest(method: String(parts[0]), path: String(path[0]), query: path.count > 1 ? String(path[1]) : "", version: version)
        let fields = lines.dropFirst().filter { !$0.isEmpty }
        guard fields.count <= maxHeaders else { return .refused(status: 431, reason: "over \(maxHeaders) header fields") }
        for field in fields {
            guard let colon = field.firstIndex(of: ":"), colon != field.startIndex,
                  !field[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else {
                return .refused(status: 400, reason: "a bad header field")
            }
            let name = field[..<colon].lowercased()
            let value = field[field.index(after: colon)...].withoutBlanksAround
            // Repeated fields join with a comma, as RFC 9110 5.3 has it.
            request.headers[name] = request.headers[name].map { $0 + ", " + value } ?? value
        }
        if request.headers["transfer-encoding"] != nil { return .refused(status: 501, reason: "chunked bodies are not taken") }
        var length = 0
        if let text = request.headers["content-length"] {
            guard let n = Int(text), n >= 0 else { return .refused(status: 400, reason: "a bad Content-Length") }
            guard n <= maxBodyBytes else { return .refused(status: 413, reason: "a body over \(maxBodyBytes) bytes") }
            length = n
        }
        let bodyStart = end + 4
        guard buffer.count - bodyStart >= length else { return .incomplete }
        request.body = Array(buffer[bodyStart..<bodyStart + length])
        return .request(request, consumed: bodyStart + length)
    }

    /// Where the header section ends (the index of its CRLF CRLF).
    static func headerEnd(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        var i = 0
        while i + 3 < b.count {
            if b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }
}

private extension Substring {
    /// Without the spaces and tabs HTTP allows around a field's value.
    var withoutBlanksAround: String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
