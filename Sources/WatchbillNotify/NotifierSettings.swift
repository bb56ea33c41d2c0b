extension Notifier {
    public struct Settings: Sendable {
        /// Requests held at most; past it the oldest is dropped, since newer ones carry newer state.
        public var queueCapacity: Int
        public var backoff: Backoff
        /// Seconds after a request's first attempt past which it is not retried.
        public var giveUpAfter: Double
        /// Alertmanager's `externalURL` field of webhooks: where a receiver can link back to.
        public var externalURL: String

        public init(queueCapacity: Int = 1000, backoff: Backoff = Backoff(), giveUpAfter: Double = 600,
                    externalURL: String = "") {
            self.queueCapacity = queueCapacity
            self.backoff = backoff
            self.giveUpAfter = giveUpAfter
            self.externalURL = externalURL
        }
    }

    /// For the health line.
    public struct Counters: Sendable, Equatable, CustomStringConvertible {
        public var sent = 0
        public var failedAttempts = 0
        /// Refused by the receiver (4xx), not retried.
        public var rejected = 0
        public var gaveUp = 0
        /// Dropped unsent because the queue was full.
        public var dropped = 0
        /// Queued or in flight.
        public var pending = 0

        public var description: String {
            "notify: \(sent) sent, \(pending) pending, \(failedAttempts) failed attempts, \(rejected) rejected, "
                + "\(gaveUp) given up, \(dropped) dropped"
        }
    }
}
