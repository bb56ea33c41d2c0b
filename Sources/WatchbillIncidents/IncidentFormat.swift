import WatchbillCore
/// Text for durations, times and percentages in incident reports, without Foundation.
public enum IncidentFormat {
    /// `45s`, `12m`, `1h05m`, `2d03h`: two units at most, the smaller one floored, because a
    /// report reads the order of magnitude first.
    public static func duration(_ seconds: Double) -> String {
        // Beyond a hundred years is damage; Int() of it would trap.
        guard seconds.isFinite, abs(seconds) < 3.2e9 else { return "?" }
        if seconds < 0 { return "-" + duration(-seconds) }
        let s = Int(seconds)
        if s < 60 { return "\(s)s" }
        let minutes = s / 60
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 24 { return "\(hours)h" + twoDigits(minutes % 60) + "m" }
        return "\(hours / 24)d" + twoDigits(hours % 24) + "h"
    }

    /// Every unit down to the second (`51s`, `5m10s`, `1h05m00s`, `2d03h05m10s`), for the
    /// documents a reader checks against a log: a 51-second outage is not "0 minutes".
    public static func exactDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 3.2e9 else { return "?" }
        if seconds < 0 { return "-" + exactDuration(-seconds) }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        let (days, hours, minutes) = (s / 86_400, s / 3600 % 24, s / 60 % 60)
        let rest = twoDigits(minutes) + "m" + twoDigits(s % 60) + "s"
        if days > 0 { return "\(days)d" + twoDigits(hours) + "h" + rest }
        if hours > 0 { return "\(hours)h" + rest }
        return "\(minutes)m" + twoDigits(s % 60) + "s"
    }

    /// `2025-03-14 09:02:05 UTC`, or with the offset: `2025-03-14 14:32:05 +05:30`. Seconds
    /// included: a timeline is checked against logs that carry them.
    public static func dateTime(_ unix: Double, offsetSeconds: Int = 0) -> String {
        guard unix.isFinite, abs(unix) < 1e15 else { return "?" }
        let local = Int64((unix + Double(offsetSeconds)).rounded(.down))
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secondOfDay = local - days * 86400
        let (y, m, d) = CivilDate.from(days: days)
        let year = y < 0 ? "-" + pad(-y, 4) : pad(y, 4)
        return "\(year)-\(twoDigits(m))-\(twoDigits(d)) \(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay % 3600 / 60)):\(twoDigits(secondOfDay % 60)) "
            + zone(offsetSeconds)
    }

    /// `UTC` for no offset, else `+HH:MM` / `-HH:MM`.
    public static func zone(_ offsetSeconds: Int) -> String {
        if offsetSeconds == 0 { return "UTC" }
        let a = abs(offsetSeconds) / 60
        return (offsetSeconds < 0 ? "-" : "+") + twoDigits(a / 60) + ":" + twoDigits(a % 60)
    }

    /// `4.5%`, `12%`, `0.25%`: at most two decimals, no trailing zeros.
    public static func percent(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "?%" }
        let hundredths = Int64((abs(value) * 100).rounded())
        var text = "\(hundredths / 100)"
        let fraction = hundredths % 100
        if fraction != 0 {
            text += "." + (fraction % 10 == 0 ? "\(fraction / 10)" : twoDigits(fraction))
        }
        return (value < 0 && hundredths != 0 ? "-" : "") + text + "%"
    }


    static func twoDigits<T: BinaryInteger>(_ n: T) -> String { pad(n, 2) }

    static func pad<T: BinaryInteger>(_ n: T, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
