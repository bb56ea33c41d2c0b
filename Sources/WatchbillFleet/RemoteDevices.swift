import WatchbillCollectors
import WatchbillCore

/// A remote host's disks as the kernel's counters (`DiskCounters`: 512-byte sectors and
/// milliseconds, as `/proc/diskstats` has them), from the names its exporter serves.
enum RemoteDisks {
    static func counters(_ m: NodeMetrics, os: ExporterOS) -> [DiskCounters] {
        func n(_ v: Double?) -> UInt64 { v.map(NodeExporterHost.count) ?? 0 }
        func ms(_ seconds: Double?) -> UInt64 { n(seconds.map { $0 * 1000 }) }
        switch os {
        case .linux, .darwin, .openbsd:
            let reads = m.byLabel("node_disk_reads_completed_total", "device")
            let readBytes = m.byLabel("node_disk_read_bytes_total", "device"), writes = m.byLabel("node_disk_writes_completed_total", "device")
            let written = m.byLabel("node_disk_written_bytes_total", "device"), readTime = m.byLabel("node_disk_read_time_seconds_total", "device")
            let writeTime = m.byLabel("node_disk_write_time_seconds_total", "device"), io = m.byLabel("node_disk_io_time_seconds_total", "device")
            return reads.map { name, r in
                DiskCounters(name: name, readsCompleted: n(r), sectorsRead: n(readBytes[name]) / 512, msReading: ms(readTime[name]),
                             writesCompleted: n(writes[name]), sectorsWritten: n(written[name]) / 512, msWriting: ms(writeTime[name]),
                             msDoingIO: ms(io[name] ?? busyFromRequests(readTime[name], writeTime[name])))
            }
        case .freebsd:
            // devstat: one series per direction under a `type` label.
            func byDevice(_ metric: String, _ type: String) -> [String: Double] {
                var out: [String: Double] = [:]
                for s in m.samples(metric) where s.labels["type"] == type { if let d = s.labels["device"] { out[d] = s.value } }
                return out
            }
            let reads = byDevice("node_devstat_transfers_total", "read"), writes = byDevice("node_devstat_transfers_total", "write")
            let readBytes = byDevice("node_devstat_bytes_total", "read"), written = byDevice("node_devstat_bytes_total", "write")
            let readTime = byDevice("node_devstat_duration_seconds_total", "read"), writeTime = byDevice("node_devstat_duration_seconds_total", "write")
            let busy = m.byLabel("node_devstat_busy_time_seconds_total", "device")
            return reads.map { name, r in
                DiskCounters(name: name, readsCompleted: n(r), sectorsRead: n(readBytes[name]) / 512, msReading: ms(readTime[name]),
                             writesCompleted: n(writes[name]), sectorsWritten: n(written[name]) / 512, msWriting: ms(writeTime[name]),
                             msDoingIO: ms(busy[name] ?? busyFromRequests(readTime[name], writeTime[name])))
            }
        case .windows:
            let reads = m.byLabel("windows_logical_disk_reads_total", "volume")
            let readBytes = m.byLabel("windows_logical_disk_read_bytes_total", "volume"), writes = m.byLabel("windows_logical_disk_writes_total", "volume")
            let written = m.byLabel("windows_logical_disk_write_bytes_total", "volume")
            let readTime = m.byLabel("windows_logical_disk_read_seconds_total", "volume"), writeTime = m.byLabel("windows_logical_disk_write_seconds_total", "volume")
            return reads.filter { NodeExporterHost.isDriveLetter($0.key) }.map { name, r in
                DiskCounters(name: name, readsCompleted: n(r), sectorsRead: n(readBytes[name]) / 512, msReading: ms(readTime[name]),
                             writesCompleted: n(writes[name]), sectorsWritten: n(written[name]) / 512, msWriting: ms(writeTime[name]),
                             msDoingIO: ms(busyFromRequests(readTime[name], writeTime[name])))
            }
        case .dragonfly, .netbsd, .solaris:
            return []
        }
    }

    /// Without a busy-time counter (macOS, Windows), the time requests took: the same as
    /// busy time while one request is in flight at a time, more under a queue (the busy
    /// share is capped at 100 %).
    static func busyFromRequests(_ read: Double?, _ write: Double?) -> Double? {
        guard read != nil || write != nil else { return nil }
        return (read ?? 0) + (write ?? 0)
    }

    /// Optical drives, passthrough, memory and vnode disks are no disks a host's I/O is
    /// about (node_exporter names BSD and macOS disks whole: `ada0`, `sd0`, `disk0`).
    static func isShown(_ name: String, os: ExporterOS, all: Bool) -> Bool {
        if all { return true }
        let letters = name.prefix { !$0.isNumber }
        return !["cd", "pass", "md", "rd", "vnd"].contains(String(letters))
    }

    static func absentReason(_ m: NodeMetrics, os: ExporterOS) -> String {
        switch os {
        case .linux, .darwin, .openbsd:
            return NodeExporterHost.notServed("node_disk_reads_completed_total", collector: "diskstats")
        case .freebsd:
            return NodeExporterHost.notServed("node_devstat_transfers_total", collector: "devstat (off by default: --collector.devstat)")
        case .dragonfly:
            return m.has("node_devstat_bytes_total") ? "DragonFly's devstat does not tell reads from writes: no disk I/O figures"
                : NodeExporterHost.notServed("node_devstat_bytes_total", collector: "devstat (off by default: --collector.devstat)")
        case .netbsd, .solaris:
            return "node_exporter serves no disk I/O figures on \(os.displayName)"
        case .windows:
            return NodeExporterHost.notServed("windows_logical_disk_reads_total", collector: "logical_disk")
        }
    }
}

/// The names of a remote host's interface counters.
struct RemoteInterfaces {
    var label: String
    var rxBytes, rxPackets, rxErrors, rxDrops, txBytes, txPackets, txErrors, txDrops: String

    static let node = RemoteInterfaces(
        label: "device", rxBytes: "node_network_receive_bytes_total", rxPackets: "node_network_receive_packets_total",
        rxErrors: "node_network_receive_errs_total", rxDrops: "node_network_receive_drop_total", txBytes: "node_network_transmit_bytes_total",
        txPackets: "node_network_transmit_packets_total", txErrors: "node_network_transmit_errs_total", txDrops: "node_network_transmit_drop_total")

    static let windows = RemoteInterfaces(
        label: "nic", rxBytes: "windows_net_bytes_received_total", rxPackets: "windows_net_packets_received_total",
        rxErrors: "windows_net_packets_received_errors_total", rxDrops: "windows_net_packets_received_discarded_total",
        txBytes: "windows_net_bytes_sent_total", txPackets: "windows_net_packets_sent_total",
        txErrors: "windows_net_packets_outbound_errors_total", txDrops: "windows_net_packets_outbound_discarded_total")

    /// `lo` on Linux, `lo0` on the BSDs and macOS.
    static func isLoopback(_ name: String) -> Bool {
        name.hasPrefix("lo") && name.dropFirst(2).allSatisfy(\.isNumber)
    }
}
