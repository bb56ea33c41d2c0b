/// The notifier's requests waiting to be sent or retried, and which goes next. Pure (time
/// comes in as an argument); the notifier holds it under its lock.
///
/// Only each destination's oldest request is eligible, so a destination's requests arrive
/// in order (a stale firing notice must not overtake the resolved one), while one
/// destination's retries never delay another's.
struct DeliveryQueue: Sendable {
    struct Delivery: Sendable {
        var id: UInt64
        /// The intent's number; nil if journaling failed (then it exists only here).
        var seq: UInt64?
        var destination: Destination
        var body: String
        var attempts = 0
        var firstAttemptAt: Double?
        var nextAttemptAt: Double
    }

    enum Next {
        case idle
        case wait(Double)
        case send(Delivery)
    }

    /// What became of an attempt.
    enum Settled {
        case delivered(Delivery)
        case rejected(Delivery)
        case gaveUp(Delivery, after: Double)
        case retrying(Delivery, in: Double)
    }

    let capacity: Int
    private(set) var items: [Delivery] = []
    private var nextID: UInt64 = 0
    private var inFlight: UInt64?

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { items.count }

    /// Adds a request due at `now`, at the end unless `position` says where; returns the
    /// one dropped to make room (the oldest not in flight), if any.
    mutating func add(destination: Destination, body: String, seq: UInt64?, now: Double, position: Int? = nil)
        -> Delivery? {
        var dropped: Delivery?
        if items.count >= capacity, let oldest = items.firstIndex(where: { $0.id != inFlight }) {
            dropped = items.remove(at: oldest)
        }
        let delivery = Delivery(id: nextID, seq: seq, destination: destination, body: body, nextAttemptAt: now)
        nextID += 1
        items.insert(delivery, at: min(position ?? items.count, items.count))
        return dropped
    }

    /// The earliest due request among each destination's oldest, counted as attempted and
    /// in flight until `settle`; or how long until one is due.
    mutating func next(now: Double) -> Next {
        var destinations: Set<String> = []
        var best: Int?
        for (i, d) in items.enumerated() where destinations.insert(d.destination.name).inserted {
            if best == nil || d.nextAttemptAt < items[best!].nextAttemptAt { best = i }
        }
        guard let best else { return .idle }
        if items[best].nextAttemptAt > now { return .wait(items[best].nextAttemptAt - now) }
        items[best].attempts += 1
        if items[best].firstAttemptAt == nil { items[best].firstAttemptAt = now }
        inFlight = items[best].id
        return .send(items[best])
    }

    /// Applies an attempt's result: removes the request when it is over, else schedules it
    /// `backoff` later, unless that would pass `giveUpAfter` since its first attempt.
    mutating func settle(_ id: UInt64, outcome: PostResult.Outcome, now: Double, backoff: Backoff, giveUpAfter: Double,
                         random: Double) -> Settled? {
        inFlight = nil
        guard let index = items.firstIndex(where: { $0.id == id }) else { return nil }
        let d = items[index]
        switch outcome {
        case .delivered:
            items.remove(at: index)
            return .delivered(d)
        case .rejected:
            items.remove(at: index)
            return .rejected(d)
        case .retry:
            let delay = backoff.delay(afterFailures: d.attempts, random: random)
            let elapsed = now - (d.firstAttemptAt ?? now)
            if elapsed + delay > giveUpAfter {
                items.remove(at: index)
                return .gaveUp(d, after: elapsed)
            }
            items[index].nextAttemptAt = now + delay
            return .retrying(d, in: delay)
        }
    }
}
