import Dispatch
import Glibc
import WatchbillCore

/// A DNS probe: getaddrinfo, timed, on a worker thread (glibc has no asynchronous call the
/// runner could poll). A lookup that outlives its timeout is reported as a timeout by the
/// runner; its late answer is dropped.
enum DNSLookup {
    static func start(name: String, probe: Int, token: UInt64, queue: DispatchQueue,
                      done: @escaping @Sendable (UInt64, ProbeResult) -> Void) {
        let wall = probeWallClock(), start = probeMonotonic()
        queue.async {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            let rc = getaddrinfo(name, nil, &hints, &list)
            let elapsed = probeMonotonic() - start
            var addresses = 0
            var p = list
            while let a = p {
                addresses += 1
                p = a.pointee.ai_next
            }
            if list != nil { freeaddrinfo(list) }
            var result = ProbeResult(probe: probe, time: wall, duration: elapsed, phases: ProbePhases(dns: elapsed))
            if rc != 0 {
                result.error = .dns
                result.message = String(cString: gai_strerror(rc))
            } else {
                result.bytes = addresses
                result.message = "\(addresses) address\(addresses == 1 ? "" : "es")"
            }
            done(token, result)
        }
    }
}

func probeMonotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func probeWallClock() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
