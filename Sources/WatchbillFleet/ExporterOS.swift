import WatchbillCore

/// The operating system a scrape describes, told from the page itself: node_exporter serves
/// different names on each (node_exporter's `collector/*_<os>.go`), windows_exporter its own.
public enum ExporterOS: String, Sendable, CaseIterable {
    case linux, darwin, freebsd, dragonfly, openbsd, netbsd, solaris, windows

    /// `node_uname_info`'s sysname where served (not on DragonFly or Solaris), else the
    /// build's `goos`; a `windows_` page is Windows; Linux when nothing says.
    static func of(_ m: NodeMetrics) -> ExporterOS {
        if m.has("windows_cpu_time_total") || m.has("windows_exporter_build_info") || m.has("windows_os_info") { return .windows }
        let name = m.samples("node_uname_info").first?.labels["sysname"] ?? m.samples("node_exporter_build_info").first?.labels["goos"]
        // Only macOS' meminfo says `total` (the kernel's MemTotal elsewhere, `size` on the BSDs).
        if name == nil && m.has("node_memory_total_bytes") { return .darwin }
        switch name?.lowercased() {
        case "darwin": return .darwin
        case "freebsd": return .freebsd
        case "dragonfly": return .dragonfly
        case "openbsd": return .openbsd
        case "netbsd": return .netbsd
        case "solaris", "illumos", "sunos": return .solaris
        default: return .linux
        }
    }

    /// The name people use for it.
    public var displayName: String {
        switch self {
        case .linux: "Linux"
        case .darwin: "macOS"
        case .freebsd: "FreeBSD"
        case .dragonfly: "DragonFly BSD"
        case .openbsd: "OpenBSD"
        case .netbsd: "NetBSD"
        case .solaris: "Solaris"
        case .windows: "Windows"
        }
    }

    /// The parts node_exporter has no collector for on this system: no flag brings them.
    func neverServed(_ part: HostPart) -> Bool {
        switch (self, part) {
        case (.solaris, .memory), (.solaris, .filesystems), (.solaris, .disks), (.solaris, .network): true
        case (.netbsd, .disks), (.netbsd, .network): true
        default: false
        }
    }

    /// Where a CPU mode of this system's counters goes among the kernel's states. Each
    /// system names its own (`sys` on DragonFly, `kernel` and `wait` on Solaris, `spin` on
    /// OpenBSD, `privileged` on Windows); Windows' `interrupt` and `dpc` are already inside
    /// `privileged` and are left out so no second is counted twice.
    func cpuState(_ mode: String) -> WritableKeyPath<CPUTimes, UInt64>? {
        switch mode {
        case "user": \.user
        case "nice": \.nice
        case "system", "sys", "kernel", "privileged", "spin": \.system
        case "idle": \.idle
        case "iowait", "wait": \.iowait
        case "irq": \.irq
        case "interrupt": self == .windows ? nil : \.irq
        case "softirq": \.softirq
        case "steal": \.steal
        default: nil
        }
    }
}
