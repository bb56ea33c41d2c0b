/// What a cell means, not what color it is. The palette maps roles to colors in one place,
/// so views never hold a color (the themes work will make these roles theme keys).
public enum Role: UInt8, CaseIterable, Sendable {
    case text, muted, title, border, focusedBorder, header, selection
    case ok, warn, critical
    case cpuUser, cpuSystem, cpuIOWait, cpuOther
    case graphCPU, graphMemory, graphDisk, graphNetworkRx, graphNetworkTx
    /// The low and high thirds of the CPU and memory graphs (the theme's start and end
    /// colors; `graphCPU` and `graphMemoryMid` are the middle).
    case graphCPULow, graphCPUHigh, graphMemoryMid, graphMemoryHigh
    case memoryUsed, memoryCache, swap
    case latencyP50, latencyP95, latencyP99
    case phaseDNS, phaseConnect, phaseTLS, phaseFirstByte, phaseTransfer
}

/// A role plus text attributes. Small and trivially comparable: the grid diff compares
/// every cell every frame.
public struct Style: Hashable, Sendable {
    public var role: Role
    public var bold: Bool
    public var reverse: Bool

    public init(_ role: Role = .text, bold: Bool = false, reverse: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
    }

    public static let plain = Style()
}

/// One screen cell. A wide character occupies its own cell and marks the next as a
/// continuation, which the backend skips.
public struct Cell: Equatable, Sendable {
    public var scalar: Unicode.Scalar
    public var style: Style
    public var isContinuation: Bool

    public init(_ scalar: Unicode.Scalar = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.scalar = scalar
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}
