import WatchbillConfig

/// `replay --at`: a moment in a recording, as `+90s` or `+5m` after it starts, `HH:MM[:SS]`
/// (local, on the day it starts; a time before its start is the next day's) or Unix seconds.
public enum RecordingTime {
    /// The moment on the wall clock for a recording that starts at `start`; nil when the
    /// text is none of these.
    public static func resolve(_ text: String, start: Double, utcOffset: Int) -> Double? {
        if ["+0", "+0s", "+0m"].contains(text) { return start }
        if text.hasPrefix("+"), let d = Values.duration(String(text.dropFirst())), d > 0, d < 1e9 { return start + d }
        if let t = Double(text), t > 1e9, t < 1e11 { return t }
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard (2...3).contains(parts.count), parts.count == text.split(separator: ":").count,
              (0..<24).contains(parts[0]), (0..<60).contains(parts[1]), parts.count == 2 || (0..<60).contains(parts[2]) else {
            return nil
        }
        let t = LocalDay.time(parts[0] * 3600 + parts[1] * 60 + (parts.count == 3 ? parts[2] : 0), onDayOf: start, utcOffset: utcOffset)
        return t < start - 60 ? t + 86_400 : t
    }
}
