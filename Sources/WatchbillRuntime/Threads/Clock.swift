#if canImport(Glibc)
import Glibc
#endif

/// The process's clocks: monotonic for rates and schedules, wall for what people read.
/// Only the loops that gather events read them; views are handed the moment they show.
public enum Clock {
    public static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    public static func wall() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    public static func sleep(seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// Seconds east of UTC in the local time zone at `wall` (for reports written without
    /// Foundation's calendars).
    public static func utcOffset(_ wall: Double) -> Int {
        var t = time_t(wall)
        var tmv = tm()
        localtime_r(&t, &tmv)
        return Int(tmv.tm_gmtoff)
    }

    /// `strftime` in the local time zone.
    public static func local(_ wall: Double, format: String) -> String {
        var t = time_t(wall)
        var tmv = tm()
        localtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 64)
        let n = strftime(&buf, buf.count, format, &tmv)
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func localTimestamp(_ wall: Double) -> String { local(wall, format: "%Y-%m-%d %H:%M:%S %Z") }
    public static func localClock(_ wall: Double) -> String { local(wall, format: "%H:%M:%S") }
}
