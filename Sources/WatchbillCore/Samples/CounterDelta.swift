/// The increase of a cumulative counter between two readings, or nil when it cannot be known.
///
/// A smaller reading is either a wrap or a reset (driver reloaded, device re-created).
/// A wrap is assumed when the wrapped distance is under half the counter's range at the
/// width the old value fits in (32-bit counters still exist in some drivers); anything
/// else is a reset, for which no rate is shown rather than a bogus spike.
public func counterDelta(from old: UInt64, to new: UInt64) -> UInt64? {
    if new >= old { return new - old }
    if old <= UInt64(UInt32.max) {
        let wrapped = (UInt64(UInt32.max) - old) + new + 1
        return wrapped < (UInt64(1) << 31) ? wrapped : nil
    }
    let wrapped = new &- old
    return wrapped < (UInt64(1) << 63) ? wrapped : nil
}

/// Rate per second of a counter, or nil as for `counterDelta`.
public func counterRate(from old: UInt64, to new: UInt64, seconds: Double) -> Double? {
    guard seconds > 0, let d = counterDelta(from: old, to: new) else { return nil }
    return Double(d) / seconds
}
