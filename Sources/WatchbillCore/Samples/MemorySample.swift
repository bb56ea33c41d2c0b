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
    /// `available` is the estimate a kernel without `MemAvailable` (before 3.14, some
    /// containers, other systems) leaves to us: free + buffers + cache.
    public var availableEstimated = false

    public init(total: UInt64, available: UInt64, free: UInt64, buffers: UInt64, cached: UInt64,
                swapTotal: UInt64, swapFree: UInt64) {
        self.total = total; self.available = available; self.free = free; self.buffers = buffers
        self.cached = cached; self.swapTotal = swapTotal; self.swapFree = swapFree
    }

    /// Memory from the kernel's meminfo fields (`MemTotal`, `MemFree`, ...) in bytes, for
    /// the local `/proc/meminfo` and a remote node_exporter alike, so a host reads the same
    /// whoever looks at it: cache is `Cached` plus reclaimable slab (as `free` and htop
    /// count it), and without `MemAvailable` the available memory is estimated the way
    /// `free` did before the kernel had it. nil without `MemTotal` and `MemFree`.
    public static func fromKernelFields(_ field: (String) -> UInt64?) -> MemorySample? {
        guard let total = field("MemTotal"), let free = field("MemFree") else { return nil }
        // Saturating: a remote page's numbers can be anything.
        func sum(_ a: UInt64, _ b: UInt64) -> UInt64 { a.plusSaturating(b) }
        let buffers = field("Buffers") ?? 0
        let cached = sum(field("Cached") ?? 0, field("SReclaimable") ?? 0)
        let reported = field("MemAvailable")
        var m = MemorySample(total: total, available: min(total, reported ?? sum(sum(free, buffers), cached)), free: free,
                             buffers: buffers, cached: cached, swapTotal: field("SwapTotal") ?? 0, swapFree: field("SwapFree") ?? 0)
        m.availableEstimated = reported == nil
        return m
    }

    /// Total minus available: what cannot be reclaimed without swapping.
    public var used: UInt64 { total > available ? total - available : 0 }
    public var swapUsed: UInt64 { swapTotal > swapFree ? swapTotal - swapFree : 0 }
    public var usedFraction: Double { total == 0 ? 0 : Double(used) / Double(total) }
    public var swapFraction: Double { swapTotal == 0 ? 0 : Double(swapUsed) / Double(swapTotal) }
}
