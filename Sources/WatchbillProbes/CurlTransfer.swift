import CCurl
import Glibc
import WatchbillCore

/// One probe in flight through libcurl: its easy handle, its header list, and what the
/// body callback has seen. Owned by the runner thread.
final class CurlTransfer {
    let probe: Int
    let spec: ProbeSpec
    let startWall: Double
    let startMonotonic: Double
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    // What the body callback tracks: bytes, the cap, and a streaming substring search that
    // keeps only the last `needle.count - 1` bytes, so a huge body is never buffered.
    private(set) var bytes = 0
    private(set) var truncated = false
    private(set) var found = false
    private var cap = 0
    private var needle: [UInt8] = []
    private var tail: [UInt8] = []

    init?(probe: Int, spec: ProbeSpec, startWall: Double, startMonotonic: Double) {
        guard let h = wb_curl_easy_init() else { return nil }
        self.probe = probe
        self.spec = spec
        self.startWall = startWall
        self.startMonotonic = startMonotonic
        handle = h
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        configure()
    }

    deinit {
        wb_curl_easy_cleanup(handle)
        if let headerList { wb_curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    private func configure() {
        let h = handle
        // The config holds a timeout to an hour; a spec from elsewhere is held there too.
        let timeoutMs = max(1, Int(min(spec.timeout.isFinite ? spec.timeout : 10, 3600) * 1000))
        wb_curl_set_long(h, CURLOPT_NOSIGNAL, 1)
        wb_curl_set_long(h, CURLOPT_TIMEOUT_MS, timeoutMs)
        wb_curl_set_long(h, CURLOPT_CONNECTTIMEOUT_MS, timeoutMs)
        // Every probe resolves: a cached answer would hide the DNS phase and a broken resolver.
        wb_curl_set_long(h, CURLOPT_DNS_CACHE_TIMEOUT, 0)
        wb_curl_set_pointer(h, CURLOPT_ERRORBUFFER, errorBuffer)
        wb_curl_set_pointer(h, CURLOPT_PRIVATE, Unmanaged.passUnretained(self).toOpaque())
        wb_curl_set_string(h, CURLOPT_USERAGENT, "watchbill-probe")
        switch spec.kind {
        case .http(let http):
            wb_curl_set_string(h, CURLOPT_URL, http.url)
            if http.method == "HEAD" {
                wb_curl_set_long(h, CURLOPT_NOBODY, 1)
            } else if http.method != "GET" {
                wb_curl_set_string(h, CURLOPT_CUSTOMREQUEST, http.method)
            }
            for header in http.headers {
                headerList = wb_curl_slist_append(headerList, "\(header.name): \(header.value.revealed)")
            }
            if let headerList { wb_curl_set_list(h, CURLOPT_HTTPHEADER, headerList) }
            wb_curl_set_long(h, CURLOPT_FOLLOWLOCATION, http.followRedirects ? 1 : 0)
            tls(verify: http.verifyTLS, caFile: http.caFile, wantsCertificate: http.url.hasPrefix("https:"))
            if !http.reuseConnection {
                wb_curl_set_long(h, CURLOPT_FRESH_CONNECT, 1)
                wb_curl_set_long(h, CURLOPT_FORBID_REUSE, 1)
            }
            cap = http.maxBodyBytes
            needle = Array((http.bodyContains ?? "").utf8)
            wb_curl_set_write(h, bodyCallback)
            wb_curl_set_pointer(h, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
        case .tcp(let tcp):
            // CONNECT_ONLY stops after the TCP connect, or after the TLS handshake for https.
            wb_curl_set_string(h, CURLOPT_URL, (tcp.tls ? "https://" : "http://") + tcp.address + "/")
            wb_curl_set_long(h, CURLOPT_CONNECT_ONLY, 1)
            wb_curl_set_long(h, CURLOPT_FRESH_CONNECT, 1)
            wb_curl_set_long(h, CURLOPT_FORBID_REUSE, 1)
            if tcp.tls { tls(verify: tcp.verifyTLS, caFile: tcp.caFile, wantsCertificate: true) }
        case .dns:
            break
        }
    }

    private func tls(verify: Bool, caFile: String?, wantsCertificate: Bool) {
        wb_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, verify ? 1 : 0)
        wb_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, verify ? 2 : 0)
        if let caFile { wb_curl_set_string(handle, CURLOPT_CAINFO, caFile) }
        // A resumed TLS session would skip most of the handshake the probe is meant to time.
        wb_curl_set_long(handle, CURLOPT_SSL_SESSIONID_CACHE, 0)
        if wantsCertificate { wb_curl_set_long(handle, CURLOPT_CERTINFO, 1) }
    }

    /// Called by libcurl for each chunk of body.
    fileprivate func receive(_ data: UnsafeRawBufferPointer) -> Int {
        let n = data.count
        let room = cap - bytes
        let take = min(n, max(0, room))
        if !needle.isEmpty && !found && take > 0 {
            let chunk = tail + data.prefix(take)
            found = contains(chunk, needle)
            tail = Array(chunk.suffix(needle.count - 1))
        }
        bytes += take
        if take < n {
            truncated = true
            return 0  // libcurl aborts the transfer with CURLE_WRITE_ERROR: the body is cut here
        }
        return n
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        for i in 0...(haystack.count - needle.count) where haystack[i] == first {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// The outcome once libcurl says the transfer is done.
    func result(code: CURLcode, nowMonotonic: Double) -> ProbeResult {
        func micros(_ info: CURLINFO) -> Double {
            var v: curl_off_t = 0
            wb_curl_get_off(handle, info, &v)
            return Double(v) / 1_000_000
        }
        var status = 0
        var osErrno = 0
        wb_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        wb_curl_get_long(handle, CURLINFO_OS_ERRNO, &osErrno)
        let lookup = micros(CURLINFO_NAMELOOKUP_TIME_T), connect = micros(CURLINFO_CONNECT_TIME_T)
        let appConnect = micros(CURLINFO_APPCONNECT_TIME_T), pre = micros(CURLINFO_PRETRANSFER_TIME_T)
        let firstByte = micros(CURLINFO_STARTTRANSFER_TIME_T), total = micros(CURLINFO_TOTAL_TIME_T)
        var phases = ProbePhases(dns: lookup)
        if connect > 0 { phases.connect = max(0, connect - lookup) }
        if appConnect > 0 { phases.tls = max(0, appConnect - connect) }
        if firstByte > 0 {
            phases.firstByte = max(0, firstByte - max(pre, appConnect, connect))
            phases.transfer = max(0, total - firstByte)
        }
        let elapsed = nowMonotonic - startMonotonic
        var r = ProbeResult(probe: probe, time: startWall, duration: total > 0 ? total : elapsed,
                            status: status > 0 ? status : nil, phases: phases, bytes: bytes, truncated: truncated,
                            certificateExpiry: certificateExpiry())
        let transportOK = code == CURLE_OK || (code == CURLE_WRITE_ERROR && truncated)
        if !transportOK {
            r.error = ErrorClassifier.classify(code, osErrno: Int32(osErrno))
            r.message = ErrorClassifier.message(code, detail: String(cString: errorBuffer))
            if r.error == .timeout { r.duration = max(r.duration, elapsed) }
            return r
        }
        if case .http(let http) = spec.kind {
            if !http.accepts(status: status) {
                r.error = .httpStatus
                r.message = "HTTP \(status), expected \(http.expectedStatus.map(describe).joined(separator: ", "))"
            } else if !needle.isEmpty && !found {
                r.error = .bodyMismatch
                r.message = "body " + (truncated ? "(first \(bytes) bytes) " : "") + "lacks \"\(http.bodyContains ?? "")\""
            }
        }
        return r
    }

    private func describe(_ r: ClosedRange<Int>) -> String {
        r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)-\(r.upperBound)"
    }

    private func certificateExpiry() -> Double? {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard wb_curl_get_certinfo(handle, &info) == CURLE_OK, let info, info.pointee.num_of_certs > 0,
              var item = info.pointee.certinfo[0] else { return nil }
        let prefix = "Expire date:"
        while true {
            let line = String(cString: item.pointee.data)
            if line.hasPrefix(prefix) { return CertificateDate.parse(String(line.dropFirst(prefix.count))) }
            guard let next = item.pointee.next else { return nil }
            item = next
        }
    }
}

private let bodyCallback: wb_curl_write_fn = { data, size, count, user in
    guard let user, let data else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}
