/// Counts from outside (an exporter's page, a recording) add without trapping: a sum past
/// the largest count is that count, as `NodeExporterHost.count` reads 1e300 seconds.
extension UInt64 {
    public func plusSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    public mutating func addSaturating(_ other: UInt64) { self = plusSaturating(other) }
}
