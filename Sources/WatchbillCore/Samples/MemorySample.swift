/// Memory figures in bytes, from `/proc/meminfo`.
public struct MemorySample: Sendable, Equatable {
    public var total: UInt64
    public var available: UInt64
    public var free: UInt64
    public var buffers: UInt64
    /// Page cache plus reclaimable slab, as `free` and htop count it.
    public var cached: UInt64
    public var swapTotal: UInt64
    public var swapFree: UInt64

    public init(total: UInt64, available: UInt64, free: UInt64, buffers: UInt64, cached: UInt64,
                swapTotal: UInt64, swapFree: UInt64) {
        self.total = total; self.available = available; self.free = free; self.buffers = buffers
        self.cached = cached; self.swapTotal = swapTotal; self.swapFree = swapFree
    }

    /// Total minus available: what cannot be reclaimed without swapping.
    public var used: UInt64 { total > available ? total - available : 0 }
    public var swapUsed: UInt64 { swapTotal > swapFree ? swapTotal - swapFree : 0 }
    public var usedFraction: Double { total == 0 ? 0 : Double(used) / Double(total) }
    public var swapFraction: Double { swapTotal == 0 ? 0 : Double(swapUsed) / Double(swapTotal) }
}
