import WatchbillCore

extension ExporterOS {
    /// The figures `memory` cannot do without, in the order a missing one is named.
    var memoryNeeds: [String] {
        switch self {
        case .linux: ["node_memory_MemTotal_bytes", "node_memory_MemFree_bytes"]
        case .darwin: ["node_memory_total_bytes", "node_memory_free_bytes"]
        case .freebsd, .dragonfly, .openbsd, .netbsd: ["node_memory_size_bytes", "node_memory_free_bytes"]
        case .solaris: []
        case .windows: ["windows_memory_physical_total_bytes", "windows_memory_available_bytes"]
        }
    }

    /// Memory from the names this system's exporter serves, in the same sample the local
    /// collector fills. Linux is the kernel's meminfo, through the one arithmetic local and
    /// remote hosts share. Elsewhere the kernel has no "available" figure, so it is worked
    /// out as the community's dashboards do and marked as an estimate:
    /// - macOS: used = app memory (anonymous less purgeable) + wired + compressed, node-mixin's
    ///   "Memory Used"; what is neither used nor free is the file cache.
    /// - FreeBSD, DragonFly: free + inactive + cache + buffer is not used ("Node Exporter BSD").
    /// - OpenBSD: free + the buffer cache. NetBSD: free + inactive (it serves no cache).
    /// - Windows serves available memory itself (`windows_memory_available_bytes`), and the
    ///   standby lists and modified pages are its cache; the page files are its swap.
    func memory(_ m: NodeMetrics) -> MemorySample? {
        func bytes(_ name: String) -> UInt64? { m.value(name).map(NodeExporterHost.count) }
        func node(_ field: String) -> UInt64? { bytes("node_memory_\(field)_bytes") }
        func sum(_ values: UInt64?...) -> UInt64 {
            values.reduce(0) { $0.plusSaturating($1 ?? 0) }
        }
        func estimated(total: UInt64, available: UInt64, free: UInt64, buffers: UInt64 = 0, cached: UInt64,
                       swapTotal: UInt64?, swapUsed: UInt64?) -> MemorySample {
            let swap = swapTotal ?? 0
            var sample = MemorySample(total: total, available: min(total, available), free: min(total, free), buffers: buffers,
                                      cached: min(total, cached), swapTotal: swap, swapFree: swap - min(swap, swapUsed ?? 0))
            sample.availableEstimated = true
            return sample
        }
        switch self {
        case .linux:
            return MemorySample.fromKernelFields { node($0) }
        case .darwin:
            guard let total = node("total"), let free = node("free") else { return nil }
            let app = sum(node("internal")) - min(sum(node("internal")), sum(node("purgeable")))
            let used = min(total, sum(app, node("wired"), node("compressed")))
            let available = total - used
            return estimated(total: total, available: available, free: free, cached: available - min(available, free),
                             swapTotal: node("swap_total"), swapUsed: node("swap_used"))
        case .freebsd, .dragonfly:
            guard let total = node("size"), let free = node("free") else { return nil }
            let buffers = sum(node("buffer"))
            let cached = sum(node("inactive"), node("cache"))
            return estimated(total: total, available: sum(free, cached, buffers), free: free, buffers: buffers, cached: cached,
                             swapTotal: node("swap_size"), swapUsed: node("swap_used"))
        case .openbsd:
            guard let total = node("size"), let free = node("free") else { return nil }
            let cached = sum(node("cache"))
            return estimated(total: total, available: sum(free, cached), free: free, cached: cached,
                             swapTotal: node("swap_size"), swapUsed: node("swap_used"))
        case .netbsd:
            guard let total = node("size"), let free = node("free") else { return nil }
            return estimated(total: total, available: sum(free, node("inactive")), free: free, cached: 0,
                             swapTotal: node("swap_size"), swapUsed: node("swap_used"))
        case .solaris:
            return nil
        case .windows:
            // The physical figures moved from the os and cs collectors to memory (0.29 to 0.31).
            guard let total = bytes("windows_memory_physical_total_bytes") ?? bytes("windows_cs_physical_memory_bytes")
                    ?? bytes("windows_os_visible_memory_bytes"),
                  let available = bytes("windows_memory_available_bytes") ?? bytes("windows_memory_physical_free_bytes")
                    ?? bytes("windows_os_physical_memory_free_bytes") else { return nil }
            let cached = sum(bytes("windows_memory_standby_cache_core_bytes"), bytes("windows_memory_standby_cache_normal_priority_bytes"),
                             bytes("windows_memory_standby_cache_reserve_bytes"), bytes("windows_memory_modified_page_list_bytes"))
            let free = bytes("windows_memory_free_and_zero_page_list_bytes") ?? available
            // Page files: windows_pagefile_* from 0.30 (one series a file), the os collector's before.
            let limit = m.samples("windows_pagefile_limit_bytes").reduce(0.0) { $0 + $1.value }
            let left = m.samples("windows_pagefile_free_bytes").reduce(0.0) { $0 + $1.value }
            let swapTotal = limit > 0 ? NodeExporterHost.count(limit) : sum(bytes("windows_os_paging_limit_bytes"))
            let swapFree = limit > 0 ? NodeExporterHost.count(left) : sum(bytes("windows_os_paging_free_bytes"))
            return MemorySample(total: total, available: min(total, available), free: min(total, free), buffers: 0,
                                cached: min(total, cached), swapTotal: swapTotal, swapFree: min(swapTotal, swapFree))
        }
    }
}
