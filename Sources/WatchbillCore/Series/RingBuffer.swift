import DequeModule

/// A fixed-capacity FIFO: appending to a full buffer drops the oldest element.
///
/// Storage is reserved once, so steady-state appends never allocate.
public struct RingBuffer<Element>: Sendable where Element: Sendable {
    public let capacity: Int
    @usableFromInline var storage: Deque<Element>
    /// Elements ever appended; lets readers align on absolute positions (a graph column
    /// keeps its place until it is complete, instead of shifting on every sample).
    @usableFromInline var _appendedCount: Int = 0
    @inlinable public var appendedCount: Int { _appendedCount }

    @inlinable public init(capacity: Int) {
        precondition(capacity > 0, "a ring buffer needs room for at least one element")
        self.capacity = capacity
        storage = Deque(minimumCapacity: capacity)
    }

    @inlinable public var count: Int { storage.count }
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    @inlinable public var first: Element? { storage.first }
    @inlinable public var last: Element? { storage.last }

    /// Absolute index (in `appendedCount` terms) of the oldest element still held.
    @inlinable public var firstAbsoluteIndex: Int { appendedCount - storage.count }

    @inlinable public mutating func append(_ element: Element) {
        if storage.count == capacity { storage.removeFirst() }
        storage.append(element)
        _appendedCount += 1
    }

    /// Drops the oldest element; does nothing when empty.
    @inlinable public mutating func removeFirst() {
        if !storage.isEmpty { storage.removeFirst() }
    }

    @inlinable public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
    }

    /// Element `i` positions from the oldest (0 = oldest).
    @inlinable public subscript(i: Int) -> Element { storage[i] }

    /// Element at an absolute index, if still held.
    @inlinable public func element(atAbsolute index: Int) -> Element? {
        let i = index - firstAbsoluteIndex
        return i >= 0 && i < storage.count ? storage[i] : nil
    }

    /// The newest `n` elements, oldest first.
    @inlinable public func last(_ n: Int) -> [Element] {
        let k = max(0, min(n, storage.count))
        return Array(storage[(storage.count - k)...])
    }

    @inlinable public var elements: [Element] { Array(storage) }
}
