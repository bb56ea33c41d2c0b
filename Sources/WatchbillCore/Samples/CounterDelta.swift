/// The increase of a cumulative counter between two readings, or nil when it cannot be known.
///
/// A smaller reading is either a wrap or a reset (driver reloaded, device re-created).
/// A 32-bit wrap (such counters still exist in some drivers) is assumed only when the
/// wrapped distance is under a quarter of the range, 1 GiB: more than that from a 32-bit
/// counter in one interval is far likelier a reset. A 64-bit wrap needs the distance under
/// half the range. Anything else is a reset, for which no rate is shown rather than a spike.
public func counterDelta(from old: UInt64, to new: UInt64) -> UInt64? {
    if new >= old { return new - old }
    if old <= UInt64(UInt32.max) {
        let wrapped = (UInt64(UInt32.max) - old) + new + 1
        return wrapped < (UInt64(1) << 30) ? wrapped : nil
    }
    let wrapped = new &- old
    return wrapped < (UInt64(1) << 63) ? wrapped : nil
}

/// Rate per second of a counter, or nil as for `counterDelta`.
public func counterRate(from old: UInt64, to new: UInt64, seconds: Double) -> Double? {
    guard seconds > 0, let d = counterDelta(from: old, to: new) else { return nil }
    return Double(d) / seconds
}
