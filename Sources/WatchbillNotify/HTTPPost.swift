import CCurl
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// POSTs through libcurl, one request at a time, on the calling thread: the notifier's
/// thread does nothing else. Redirects are not followed (a receiver that moved is a config
/// error, and following one would carry the token to another host); TLS is verified.
///
/// The easy handle is driven by a private multi handle rather than `curl_easy_perform`,
/// which is what `curl_easy_perform` does inside; it needs no more of libcurl than the
/// probes already load.
public struct HTTPPost: Transport {
    /// libcurl could not be loaded.
    public struct LibraryMissing: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "notifications need libcurl (Debian: libcurl4): \(reason)" }
    }

    /// A PEM bundle to verify receivers against instead of the system's (a private CA).
    public var caFile: String?
    /// Bytes of a refusal's body kept for the error text (Alertmanager explains a 400 there).
    static let keptBodyBytes = 512

    /// Loads libcurl (once per process); throws when libcurl.so.4 is missing.
    public init(caFile: String? = nil) throws(LibraryMissing) {
        var why = [CChar](repeating: 0, count: 256)
        guard wb_curl_load(&why, why.count) == 0 else {
            throw LibraryMissing(reason: String(decoding: why.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                                as: UTF8.self))
        }
        self.caFile = caFile
    }

    public func post(url: String, body: String, headers: [Header], timeout: Double) -> PostResult {
        send("POST", url: url, body: body, headers: headers, timeout: timeout)
    }

    /// DELETE, for expiring a silence in Alertmanager.
    public func delete(url: String, headers: [Header], timeout: Double) -> PostResult {
        send("DELETE", url: url, body: nil, headers: headers, timeout: timeout)
    }

    private func send(_ method: String, url: String, body: String?, headers: [Header], timeout: Double) -> PostResult {
        let redaction = Redaction(url: url, headers: headers)
        let shownURL = Redaction.shown(url)
        guard let handle = wb_curl_easy_init() else {
            return PostResult(status: nil, error: "\(method) \(shownURL): curl_easy_init failed")
        }
        defer { wb_curl_easy_cleanup(handle) }
        let response = ResponseBody(limit: HTTPPost.keptBodyBytes)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { if let headerList { wb_curl_slist_free_all(headerList) } }

        let timeoutMs = max(1, Int((timeout * 1000).rounded()))
        wb_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        wb_curl_set_long(handle, CURLOPT_TIMEOUT_MS, timeoutMs)
        wb_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, timeoutMs)
        wb_curl_set_string(handle, CURLOPT_URL, url)
        wb_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        wb_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        wb_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        wb_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile { wb_curl_set_string(handle, CURLOPT_CAINFO, caFile) }
        wb_curl_set_string(handle, CURLOPT_USERAGENT, "watchbill-notify")
        wb_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        if let body {
            wb_curl_set_long(handle, CURLOPT_POST, 1)
            // With the size set first, COPYPOSTFIELDS copies exactly that many bytes into the
            // handle, so the bridged C string need not outlive the call.
            wb_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, body.utf8.count)
            wb_curl_set_string(handle, CURLOPT_COPYPOSTFIELDS, body)
        } else {
            wb_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method)
        }
        // An empty `Expect:` stops curl pausing a second for `100 Continue` on larger bodies.
        for line in ["Content-Type: application/json", "Expect:"] + headers.map({ "\($0.name): \($0.value.revealed)" }) {
            headerList = wb_curl_slist_append(headerList, line)
        }
        wb_curl_set_list(handle, CURLOPT_HTTPHEADER, headerList)
        wb_curl_set_write(handle, keepBody)
        wb_curl_set_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(response).toOpaque())

        let code = withExtendedLifetime(response) { perform(handle, timeout: timeout) }
        guard code == CURLE_OK else {
            let detail = errorBuffer.pointee != 0
                ? String(decoding: UnsafeRawBufferPointer(start: errorBuffer, count: strlen(errorBuffer)), as: UTF8.self)
                : String(decoding: UnsafeRawBufferPointer(start: wb_curl_easy_strerror(code),
                                                          count: strlen(wb_curl_easy_strerror(code))), as: UTF8.self)
            return PostResult(status: nil, error: redaction.scrub("\(method) \(shownURL): \(detail)"))
        }
        var status = 0
        wb_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let result = PostResult(status: status, body: response.text)
        if result.outcome == .delivered { return result }
        let said = response.text.isEmpty ? "" : ": " + response.text
        return PostResult(status: status, error: redaction.scrub("\(method) \(shownURL): HTTP \(status)\(said)"),
                          body: response.text)
    }

    /// Runs the transfer to its end. libcurl enforces `timeout`; the loop has its own
    /// bound in case it does not.
    private func perform(_ handle: UnsafeMutableRawPointer, timeout: Double) -> CURLcode {
        guard let multi = wb_curl_multi_init() else { return CURLE_OUT_OF_MEMORY }
        defer { wb_curl_multi_cleanup(multi) }
        wb_curl_multi_add_handle(multi, handle)
        defer { wb_curl_multi_remove_handle(multi, handle) }
        let deadline = monotonicSeconds() + timeout + 5
        var running: Int32 = 1
        while true {
            wb_curl_multi_perform(multi, &running)
            if running == 0 { break }
            if monotonicSeconds() > deadline { return CURLE_OPERATION_TIMEDOUT }
            wb_curl_multi_poll(multi, 200)
        }
        var left: Int32 = 0
        while let message = wb_curl_multi_info_read(multi, &left) {
            if wb_curl_msg_done(message) != 0 { return wb_curl_msg_result(message) }
        }
        return CURLE_OK
    }
}

/// The start of a response body, printable on one line; the rest is read and dropped.
private final class ResponseBody {
    let limit: Int
    private(set) var bytes: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    func receive(_ data: UnsafeRawBufferPointer) {
        let room = limit - bytes.count
        if room > 0 { bytes += data.prefix(room) }
    }

    var text: String {
        let flat = String(String(decoding: bytes, as: UTF8.self).map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return String(flat.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

private let keepBody: wb_curl_write_fn = { data, size, count, user in
    guard let user, let data else { return 0 }
    Unmanaged<ResponseBody>.fromOpaque(user).takeUnretainedValue()
        .receive(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}
