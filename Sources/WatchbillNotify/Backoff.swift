/// Waits between attempts: doubling from `initial` up to `maximum`, each stretched by up
/// to `jitter` (a fraction) so notifiers that failed together do not retry in lockstep.
public struct Backoff: Sendable, Equatable {
    public var initial: Double
    public var maximum: Double
    public var jitter: Double

    public init(initial: Double = 1, maximum: Double = 60, jitter: Double = 0.1) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The wait after the `failures`-th failed attempt (1 for the first); `random` is in 0..<1.
    public func delay(afterFailures failures: Int, random: Double) -> Double {
        let doublings = min(max(0, failures - 1), 62)
        return min(maximum, initial * Double(UInt64(1) << UInt64(doublings))) * (1 + jitter * random)
    }
}
