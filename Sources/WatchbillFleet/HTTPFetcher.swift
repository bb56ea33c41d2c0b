import CCurl
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore
import WatchbillExposition

/// One GET: where, with which headers (a bearer token or basic auth, as `Secret`s), and
/// how long it may take.
public struct FetchRequest: Sendable {
    public var url: String
    public var headers: [Header]
    public var timeout: Double
    /// What the answer should be: the exposition format for exporters, JSON for APIs
    /// (Alertmanager refuses a request that does not accept JSON).
    public var accept: String

    /// What Prometheus 2.42 asks an exporter for: OpenMetrics first, the text format after.
    public static let exposition = ExpositionFormat.scrapeAccept

    public init(url: String, headers: [Header] = [], timeout: Double = 5, accept: String = FetchRequest.exposition) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.accept = accept
    }
}

/// What a GET brought back: the body of a 2xx answer, or why there is none, in words an
/// on-call reads (`timeout`, `refused`, `HTTP 500`, `larger than 16 MiB`), never a token.
public enum FetchResult: Sendable, Equatable {
    /// The answer's bytes and its Content-Type (which parser reads it).
    case body([UInt8], contentType: String? = nil)
    case failed(String)

    /// No answer in time: the other end may be slow rather than gone.
    public var isTimeout: Bool { self == .failed(HTTPFetcher.timeout) }
}

/// GETs many URLs at once through libcurl's multi interface on the calling thread: a
/// hundred node_exporters are one `fetch` call, as long as the slowest answer or its
/// timeout, never the sum. TLS is verified unless told not to; redirects are not followed
/// (a token must not travel to another host); a body over `maxBytes` is cut off and failed.
public struct HTTPFetcher: Sendable {
    public struct LibraryMissing: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "scraping needs libcurl (Debian: libcurl4): \(reason)" }
    }

    /// The failure of a request that got no whole answer within its timeout.
    public static let timeout = "timeout"

    public var maxBytes: Int
    public var verifyTLS: Bool
    public var caFile: String?

    public init(maxBytes: Int = 16 << 20, verifyTLS: Bool = true, caFile: String? = nil) throws(LibraryMissing) {
        var why = [CChar](repeating: 0, count: 256)
        guard wb_curl_load(&why, why.count) == 0 else {
            throw LibraryMissing(reason: String(decoding: why.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.maxBytes = maxBytes
        self.verifyTLS = verifyTLS
        self.caFile = caFile
    }

    /// The results in the order of `requests`.
    public func fetch(_ requests: [FetchRequest]) -> [FetchResult] {
        guard !requests.isEmpty else { return [] }
        guard let multi = wb_curl_multi_init() else { return requests.map { _ in .failed("curl_multi_init failed") } }
        defer { wb_curl_multi_cleanup(multi) }
        let transfers = requests.map { Transfer($0, limit: maxBytes) }
        var handles: [UnsafeMutableRawPointer?] = []
        for t in transfers {
            let h = setUp(t)
            handles.append(h)
            if let h { wb_curl_multi_add_handle(multi, h) } else { t.failure = "curl_easy_init failed" }
        }
        // The transfers hold the buffers libcurl writes into: alive until the handles are gone.
        defer {
            withExtendedLifetime(transfers) {
                for h in handles {
                    guard let h else { continue }
                    wb_curl_multi_remove_handle(multi, h)
                    wb_curl_easy_cleanup(h)
                }
            }
        }
        // libcurl enforces each timeout; this bound is in case it does not.
        let deadline = Self.monotonic() + (requests.map(\.timeout).max() ?? 5) + 5
        var running: Int32 = 1
        while running > 0 && Self.monotonic() < deadline {
            wb_curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = wb_curl_multi_info_read(multi, &left) {
                guard wb_curl_msg_done(message) != 0, let h = wb_curl_msg_handle(message),
                      let i = handles.firstIndex(where: { $0 == UnsafeMutableRawPointer(h) }) else { continue }
                finish(transfers[i], handle: h, code: wb_curl_msg_result(message))
            }
            if running > 0 { wb_curl_multi_poll(multi, 100) }
        }
        return transfers.map { t in
            if let f = t.failure { return .failed(f) }
            return t.done ? .body(t.bytes, contentType: t.contentType) : .failed(HTTPFetcher.timeout)
        }
    }

    private func setUp(_ t: Transfer) -> UnsafeMutableRawPointer? {
        guard let h = wb_curl_easy_init() else { return nil }
        let ms = max(1, Int((t.request.timeout * 1000).rounded()))
        wb_curl_set_long(h, CURLOPT_NOSIGNAL, 1)
        wb_curl_set_long(h, CURLOPT_TIMEOUT_MS, ms)
        wb_curl_set_long(h, CURLOPT_CONNECTTIMEOUT_MS, ms)
        wb_curl_set_string(h, CURLOPT_URL, t.request.url)
        wb_curl_set_string(h, CURLOPT_PROTOCOLS_STR, "http,https")
        wb_curl_set_long(h, CURLOPT_FOLLOWLOCATION, 0)
        wb_curl_set_long(h, CURLOPT_SSL_VERIFYPEER, verifyTLS ? 1 : 0)
        wb_curl_set_long(h, CURLOPT_SSL_VERIFYHOST, verifyTLS ? 2 : 0)
        if let caFile { wb_curl_set_string(h, CURLOPT_CAINFO, caFile) }
        // node_exporter compresses when asked: the fleet's bytes go down about fivefold.
        wb_curl_set_string(h, CURLOPT_ACCEPT_ENCODING, "")
        wb_curl_set_string(h, CURLOPT_USERAGENT, "watchbill")
        wb_curl_set_pointer(h, CURLOPT_ERRORBUFFER, t.errorBuffer)
        for line in ["Accept: \(t.request.accept)"] + t.request.headers.map({ "\($0.name): \($0.value.revealed)" }) {
            t.headerList = wb_curl_slist_append(t.headerList, line)
        }
        wb_curl_set_list(h, CURLOPT_HTTPHEADER, t.headerList)
        wb_curl_set_write(h, receive)
        wb_curl_set_pointer(h, CURLOPT_WRITEDATA, Unmanaged.passUnretained(t).toOpaque())
        return h
    }

    private func finish(_ t: Transfer, handle: UnsafeMutableRawPointer, code: CURLcode) {
        t.done = true
        if t.overflowed {
            t.failure = "larger than " + (maxBytes >= 1 << 20 ? "\(maxBytes >> 20) MiB" : "\(maxBytes >> 10) KiB")
            return
        }
        guard code == CURLE_OK else {
            var osErrno = 0
            wb_curl_get_long(handle, CURLINFO_OS_ERRNO, &osErrno)
            t.failure = Self.describe(code, errno: Int32(osErrno), detail: t.errorText)
            return
        }
        var status = 0
        wb_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if !(200..<300).contains(status) { t.failure = "HTTP \(status)" }
        var type: UnsafePointer<CChar>?
        if wb_curl_get_string(handle, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK, let type { t.contentType = String(cString: type) }
    }

    /// Curl's codes in an on-call's words; curl's own text after them (no URL, no header).
    static func describe(_ code: CURLcode, errno: Int32, detail: String) -> String {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return HTTPFetcher.timeout
        case CURLE_COULDNT_CONNECT:
            switch errno {
            case ECONNREFUSED: return "refused"
            case EHOSTUNREACH, ENETUNREACH: return "unreachable"
            case ETIMEDOUT: return HTTPFetcher.timeout
            default: return "cannot connect: \(detail)"
            }
        case CURLE_COULDNT_RESOLVE_HOST: return "no such host"
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE:
            return "TLS: \(detail)"
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE: return "connection dropped: \(detail)"
        default: return detail.isEmpty ? "curl error \(code.rawValue)" : detail
        }
    }

    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// One transfer's buffers, alive until its handle is cleaned up.
private final class Transfer {
    let request: FetchRequest
    let limit: Int
    var bytes: [UInt8] = []
    var contentType: String?
    var overflowed = false
    var done = false
    var failure: String?
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(_ request: FetchRequest, limit: Int) {
        self.request = request
        self.limit = limit
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        errorBuffer.deallocate()
        if let headerList { wb_curl_slist_free_all(headerList) }
    }

    var errorText: String { String(cString: errorBuffer) }

    /// Returns false once over the limit, which makes libcurl stop the transfer.
    func receive(_ data: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + data.count <= limit else {
            overflowed = true
            return false
        }
        bytes += data
        return true
    }
}

private let receive: wb_curl_write_fn = { data, size, count, user in
    guard let user, let data else { return 0 }
    let t = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    return t.receive(UnsafeRawBufferPointer(start: data, count: n)) ? n : 0
}
