/// Cumulative counters of one interface, from `/proc/net/dev`.
public struct InterfaceCounters: Sendable, Equatable {
    public var name: String
    public var rxBytes: UInt64
    public var rxPackets: UInt64
    public var rxErrors: UInt64
    public var rxDrops: UInt64
    public var txBytes: UInt64
    public var txPackets: UInt64
    public var txErrors: UInt64
    public var txDrops: UInt64
    public init(name: String, rxBytes: UInt64, rxPackets: UInt64, rxErrors: UInt64, rxDrops: UInt64,
                txBytes: UInt64, txPackets: UInt64, txErrors: UInt64, txDrops: UInt64) {
        self.name = name; self.rxBytes = rxBytes; self.rxPackets = rxPackets; self.rxErrors = rxErrors
        self.rxDrops = rxDrops; self.txBytes = txBytes; self.txPackets = txPackets; self.txErrors = txErrors
        self.txDrops = txDrops
    }
}

/// Per-second traffic of one interface between two readings.
public struct InterfaceRates: Sendable, Equatable {
    public var name: String
    public var rxBytesPerSecond: Double
    public var txBytesPerSecond: Double
    public var rxPacketsPerSecond: Double
    public var txPacketsPerSecond: Double
    /// Errors and drops, both directions, per second.
    public var errorsPerSecond: Double
    public var dropsPerSecond: Double
    public init(name: String, rxBytesPerSecond: Double, txBytesPerSecond: Double, rxPacketsPerSecond: Double,
                txPacketsPerSecond: Double, errorsPerSecond: Double, dropsPerSecond: Double) {
        self.name = name; self.rxBytesPerSecond = rxBytesPerSecond; self.txBytesPerSecond = txBytesPerSecond
        self.rxPacketsPerSecond = rxPacketsPerSecond; self.txPacketsPerSecond = txPacketsPerSecond
        self.errorsPerSecond = errorsPerSecond; self.dropsPerSecond = dropsPerSecond
    }
}
