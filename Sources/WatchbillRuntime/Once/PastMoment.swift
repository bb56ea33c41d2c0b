import WatchbillConfig

/// When something happened, as an on-call writes it for an incident entry: `15m` or `-15m`
/// (that long ago), `14:05` (today, local; yesterday if that is still to come) or Unix
/// seconds (ten digits or more).
public enum PastMoment: Sendable, Equatable {
    case ago(Double)
    case clock(hour: Int, minute: Int)
    case unix(Double)

    public init?(_ text: String) {
        let bare = text.hasPrefix("-") ? String(text.dropFirst()) : text
        if let last = bare.last, "smhd".contains(last), let seconds = Values.duration(bare), seconds > 0 {
            // Further back than a year is a typo, not an incident.
            guard seconds <= 366 * 86_400 else { return nil }
            self = .ago(seconds)
        } else if text.contains(":") {
            let parts = text.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else { return nil }
            self = .clock(hour: parts[0], minute: parts[1])
        } else if let t = Double(text), t >= 1e9, t < 1e11 {
            self = .unix(t)
        } else {
            return nil
        }
    }

    /// The moment on the wall clock, seen at `now` in a zone `utcOffset` seconds east of UTC.
    public func resolve(now: Double, utcOffset: Int) -> Double {
        switch self {
        case .ago(let s): return now - s
        case .unix(let t): return t
        case .clock(let h, let m):
            // Today; a time still to come is yesterday's.
            let t = LocalDay.time(h * 3600 + m * 60, onDayOf: now, utcOffset: utcOffset)
            return t > now + 60 ? t - 86_400 : t
        }
    }
}
