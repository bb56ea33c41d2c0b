import WatchbillCore
/// Timestamps as Alertmanager's API and webhooks carry them: UTC, milliseconds, `Z`
/// (`2025-12-01T20:04:51.500Z`). Pure integer arithmetic rather than `gmtime_r`, so the
/// result never depends on the process' time zone or C library.
public enum RFC3339 {
    /// `seconds` since the Unix epoch; negative values are before 1970.
    public static func format(_ seconds: Double) -> String {
        // A damaged state file can hold NaN or 1e300; Int64() would trap on either.
        guard seconds.isFinite, abs(seconds) < 9e15 else { return "1970-01-01T00:00:00.000Z" }
        // Rounded to the millisecond first, so 0.9996 s carries into the next second
        // instead of printing `.1000`.
        let totalMillis = Int64((seconds * 1000).rounded())
        let (days, millisOfDay) = floorDivide(totalMillis, 86_400_000)
        let (year, month, day) = CivilDate.from(days: days)
        let secondOfDay = millisOfDay / 1000
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
            + "." + pad(millisOfDay % 1000, 3) + "Z"
    }


    private static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let r = a % b
        return r < 0 ? (a / b - 1, r + b) : (a / b, r)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let digits = String(n < 0 ? -n : n)
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
