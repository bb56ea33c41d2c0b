/// Metric names of the recorded series. They follow node_exporter's where one exists, as
/// ratios and per-second rates, so the alert rules to come read like Prometheus rules.
public enum Metric {
    public static let cpuBusy = "cpu_busy_ratio"
    public static let cpuIowait = "cpu_iowait_ratio"
    public static let load1 = "node_load1"
    public static let memoryUsed = "memory_used_ratio"
    public static let swapUsed = "swap_used_ratio"
    public static let filesystemUsed = "filesystem_used_ratio"
    public static let diskReadBytes = "disk_read_bytes_per_second"
    public static let diskWriteBytes = "disk_written_bytes_per_second"
    public static let diskBusy = "disk_io_busy_ratio"
    public static let networkReceive = "network_receive_bytes_per_second"
    public static let networkTransmit = "network_transmit_bytes_per_second"
    public static let networkReceiveTotal = "network_receive_bytes_per_second_total"
    public static let networkTransmitTotal = "network_transmit_bytes_per_second_total"
}

extension SeriesStore {
    /// Appends one tick. A value that could not be read is stored as a gap, so graphs
    /// show the hole and statistics skip it.
    public mutating func record(_ s: HostSnapshot) {
        let t = s.time
        func put(_ metric: String, _ instance: String, _ v: Double?) {
            append(SeriesKey(metric, instance), time: t, value: v ?? .nan)
        }
        func put(_ metric: String, _ v: Double?) { put(metric, "", v) }
        put(Metric.cpuBusy, s.cpuTotal?.busy)
        put(Metric.cpuIowait, s.cpuTotal?.iowait)
        put(Metric.load1, s.load?.one)
        put(Metric.memoryUsed, s.memory?.usedFraction)
        put(Metric.swapUsed, s.memory.map { $0.swapTotal == 0 ? 0 : $0.swapFraction })
        for fs in s.filesystems ?? [] { put(Metric.filesystemUsed, fs.mount.mountPoint, fs.usedFraction) }
        for d in s.disks ?? [] {
            put(Metric.diskReadBytes, d.name, d.readBytesPerSecond)
            put(Metric.diskWriteBytes, d.name, d.writeBytesPerSecond)
            put(Metric.diskBusy, d.name, d.busy)
        }
        var rx: Double?, tx: Double?
        if let ifs = s.interfaces {
            rx = 0; tx = 0
            for i in ifs {
                put(Metric.networkReceive, i.name, i.rxBytesPerSecond)
                put(Metric.networkTransmit, i.name, i.txBytesPerSecond)
                rx! += i.rxBytesPerSecond
                tx! += i.txBytesPerSecond
            }
        }
        // The first tick has counters but no rates yet: a gap, not a zero.
        let hasRates = s.cpuTotal != nil
        put(Metric.networkReceiveTotal, hasRates ? rx : nil)
        put(Metric.networkTransmitTotal, hasRates ? tx : nil)
        pruneStale(now: t, every: 64)
    }
}
