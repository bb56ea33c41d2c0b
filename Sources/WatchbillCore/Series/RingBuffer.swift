import DequeModule

/// A fixed-capacity FIFO: appending to a full buffer drops the oldest element.
///
/// Storage is reserved once, so steady-state appends never allocate.
public struct RingBuffer<Element>: Sendable where Element: Sendable {
    public let capacity: Int
    private var storage: Deque<Element>
    /// Elements ever appended; lets readers align on absolute positions (a graph column
    /// keeps its place until it is complete, instead of shifting on every sample).
    public private(set) var appendedCount: Int = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a ring buffer needs room for at least one element")
        self.capacity = capacity
        storage = Deque(minimumCapacity: capacity)
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }
    public var first: Element? { storage.first }
    public var last: Element? { storage.last }

    /// Absolute index (in `appendedCount` terms) of the oldest element still held.
    public var firstAbsoluteIndex: Int { appendedCount - storage.count }

    public mutating func append(_ element: Element) {
        if storage.count == capacity { storage.removeFirst() }
        storage.append(element)
        appendedCount += 1
    }

    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
    }

    /// Element `i` positions from the oldest (0 = oldest).
    public subscript(i: Int) -> Element { storage[i] }

    /// Element at an absolute index, if still held.
    public func element(atAbsolute index: Int) -> Element? {
        let i = index - firstAbsoluteIndex
        return i >= 0 && i < storage.count ? storage[i] : nil
    }

    /// The newest `n` elements, oldest first.
    public func last(_ n: Int) -> [Element] {
        let k = max(0, min(n, storage.count))
        return Array(storage[(storage.count - k)...])
    }

    public var elements: [Element] { Array(storage) }
}
