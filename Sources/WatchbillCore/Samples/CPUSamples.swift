/// Cumulative CPU time counters from one `/proc/stat` line, in clock ticks.
public struct CPUTimes: Sendable, Equatable {
    public var user: UInt64 = 0
    public var nice: UInt64 = 0
    public var system: UInt64 = 0
    public var idle: UInt64 = 0
    public var iowait: UInt64 = 0
    public var irq: UInt64 = 0
    public var softirq: UInt64 = 0
    public var steal: UInt64 = 0

    public init(user: UInt64 = 0, nice: UInt64 = 0, system: UInt64 = 0, idle: UInt64 = 0,
                iowait: UInt64 = 0, irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0) {
        self.user = user; self.nice = nice; self.system = system; self.idle = idle
        self.iowait = iowait; self.irq = irq; self.softirq = softirq; self.steal = steal
    }
}

/// What `/proc/stat` says at one moment.
public struct CPUStat: Sendable, Equatable {
    public var total: CPUTimes
    /// Keyed by CPU number: an offline (hot-unplugged) CPU is simply absent.
    public var cores: [Int: CPUTimes]
    public var runnable: Int?
    public var blocked: Int?

    public init(total: CPUTimes, cores: [Int: CPUTimes], runnable: Int? = nil, blocked: Int? = nil) {
        self.total = total; self.cores = cores; self.runnable = runnable; self.blocked = blocked
    }
}

/// Share of time in each state over an interval, as fractions of 1.
public struct CPUUsage: Sendable, Equatable {
    public var user: Double = 0
    public var nice: Double = 0
    public var system: Double = 0
    public var iowait: Double = 0
    public var irq: Double = 0
    public var softirq: Double = 0
    public var steal: Double = 0
    public var idle: Double = 1

    public init() {}

    /// Everything but idle and iowait: the time the CPU was doing work.
    public var busy: Double { user + nice + system + irq + softirq + steal }

    /// Usage between two readings; nil when no time passed (the same reading twice).
    /// A counter that went backwards (some kernels do this to iowait) counts as zero.
    public init?(from a: CPUTimes, to b: CPUTimes) {
        func d(_ x: UInt64, _ y: UInt64) -> Double { y >= x ? Double(y - x) : 0 }
        let parts = [d(a.user, b.user), d(a.nice, b.nice), d(a.system, b.system), d(a.idle, b.idle),
                     d(a.iowait, b.iowait), d(a.irq, b.irq), d(a.softirq, b.softirq), d(a.steal, b.steal)]
        let total = parts.reduce(0, +)
        guard total > 0 else { return nil }
        user = parts[0] / total; nice = parts[1] / total; system = parts[2] / total
        idle = parts[3] / total; iowait = parts[4] / total; irq = parts[5] / total
        softirq = parts[6] / total; steal = parts[7] / total
    }
}

public struct LoadAverage: Sendable, Equatable {
    public var one: Double
    public var five: Double
    public var fifteen: Double
    public var runnable: Int
    public var total: Int
    public init(one: Double, five: Double, fifteen: Double, runnable: Int, total: Int) {
        self.one = one; self.five = five; self.fifteen = fifteen; self.runnable = runnable; self.total = total
    }
}

/// Pressure stall information for one resource (`/proc/pressure/*`), averages in percent.
public struct Pressure: Sendable, Equatable {
    public var someAvg10: Double
    public var someAvg60: Double
    public var someAvg300: Double
    /// `full` is absent for CPU on older kernels.
    public var fullAvg10: Double?
    public init(someAvg10: Double, someAvg60: Double, someAvg300: Double, fullAvg10: Double? = nil) {
        self.someAvg10 = someAvg10; self.someAvg60 = someAvg60; self.someAvg300 = someAvg300; self.fullAvg10 = fullAvg10
    }
}

public struct PressureSet: Sendable, Equatable {
    public var cpu: Pressure?
    public var memory: Pressure?
    public var io: Pressure?
    public init(cpu: Pressure? = nil, memory: Pressure? = nil, io: Pressure? = nil) {
        self.cpu = cpu; self.memory = memory; self.io = io
    }
}
