public struct Rect: Equatable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var isEmpty: Bool { width == 0 || height == 0 }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var description: String { "\(x),\(y) \(width)x\(height)" }

    public func inset(by n: Int) -> Rect {
        Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n)
    }

    /// The first `n` rows, and the rest.
    public func splitTop(_ n: Int) -> (Rect, Rect) {
        let k = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: k), Rect(x: x, y: y + k, width: width, height: height - k))
    }

    public func splitBottom(_ n: Int) -> (Rect, Rect) {
        let k = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: height - k), Rect(x: x, y: maxY - k, width: width, height: k))
    }

    public func splitLeft(_ n: Int) -> (Rect, Rect) {
        let k = min(max(0, n), width)
        return (Rect(x: x, y: y, width: k, height: height), Rect(x: x + k, y: y, width: width - k, height: height))
    }

    /// `count` columns of near-equal width; the leftmost ones take the remainder.
    public func columns(_ count: Int) -> [Rect] {
        guard count > 0 else { return [] }
        var out: [Rect] = []
        var cx = x
        for i in 0..<count {
            let w = width / count + (i < width % count ? 1 : 0)
            out.append(Rect(x: cx, y: y, width: w, height: height))
            cx += w
        }
        return out
    }

    public func rows(_ count: Int) -> [Rect] {
        guard count > 0 else { return [] }
        var out: [Rect] = []
        var cy = y
        for i in 0..<count {
            let h = height / count + (i < height % count ? 1 : 0)
            out.append(Rect(x: x, y: cy, width: width, height: h))
            cy += h
        }
        return out
    }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    public func row(_ i: Int) -> Rect { Rect(x: x, y: y + i, width: width, height: i < height ? 1 : 0) }
}
