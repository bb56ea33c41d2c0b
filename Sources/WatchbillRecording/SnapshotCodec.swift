import WatchbillCore

/// One collection tick (`HostSnapshot`, raw counters included, so replayed alert rules can
/// take their own `rate()`) as record bytes. Optionals carry a presence byte; dictionaries
/// are written in key order, so the same snapshot always gives the same bytes.
public enum SnapshotCodec {
    public static func encode(_ s: HostSnapshot) -> [UInt8] {
        var w = ByteWriter()
        w.double(s.time)
        w.double(s.wallClock)
        w.string(s.host.hostname)
        w.string(s.host.kernel)
        w.optional(s.uptimeSeconds) { $0.double($1) }
        w.optional(s.cpuTotal) { $0.usage($1) }
        w.varint(UInt64(s.cpuCores.count))
        for (core, usage) in s.cpuCores.sorted(by: { $0.key < $1.key }) {
            w.signed(Int64(core))
            w.usage(usage)
        }
        w.signed(Int64(s.coreCount))
        w.optional(s.load) { w, l in
            w.double(l.one); w.double(l.five); w.double(l.fifteen); w.signed(Int64(l.runnable)); w.signed(Int64(l.total))
        }
        w.optional(s.runnable) { $0.signed(Int64($1)) }
        w.optional(s.blocked) { $0.signed(Int64($1)) }
        w.optional(s.pressure) { w, p in
            for one in [p.cpu, p.memory, p.io] {
                w.optional(one) { w, x in
                    w.double(x.someAvg10); w.double(x.someAvg60); w.double(x.someAvg300); w.optional(x.fullAvg10) { $0.double($1) }
                }
            }
        }
        w.optional(s.memory) { w, m in
            for v in [m.total, m.available, m.free, m.buffers, m.cached, m.swapTotal, m.swapFree] { w.varint(v) }
        }
        w.optional(s.filesystems) { w, list in
            w.varint(UInt64(list.count))
            for f in list {
                w.string(f.mount.mountPoint); w.string(f.mount.fsType); w.string(f.mount.source); w.string(f.mount.device)
                w.varint(f.size); w.varint(f.available); w.varint(f.used); w.varint(f.isStale ? 1 : 0)
            }
        }
        w.optional(s.disks) { w, list in
            w.varint(UInt64(list.count))
            for d in list {
                w.string(d.name)
                for v in [d.readBytesPerSecond, d.writeBytesPerSecond, d.readsPerSecond, d.writesPerSecond, d.busy] { w.double(v) }
                w.optional(d.averageWaitMs) { $0.double($1) }
            }
        }
        w.optional(s.interfaces) { w, list in
            w.varint(UInt64(list.count))
            for i in list {
                w.string(i.name)
                for v in [i.rxBytesPerSecond, i.txBytesPerSecond, i.rxPacketsPerSecond, i.txPacketsPerSecond,
                          i.errorsPerSecond, i.dropsPerSecond] { w.double(v) }
            }
        }
        w.optional(s.selfUsage.cpuFraction) { $0.double($1) }
        w.optional(s.selfUsage.rssBytes) { $0.varint($1) }
        w.optional(s.counters.cpu) { w, c in
            w.times(c.total)
            w.varint(UInt64(c.cores.count))
            for (core, t) in c.cores.sorted(by: { $0.key < $1.key }) {
                w.signed(Int64(core))
                w.times(t)
            }
            w.optional(c.runnable) { $0.signed(Int64($1)) }
            w.optional(c.blocked) { $0.signed(Int64($1)) }
        }
        w.varint(UInt64(s.counters.disks.count))
        for d in s.counters.disks {
            w.string(d.name)
            for v in [d.readsCompleted, d.sectorsRead, d.msReading, d.writesCompleted, d.sectorsWritten, d.msWriting, d.msDoingIO] {
                w.varint(v)
            }
        }
        w.varint(UInt64(s.counters.interfaces.count))
        for i in s.counters.interfaces {
            w.string(i.name)
            for v in [i.rxBytes, i.rxPackets, i.rxErrors, i.rxDrops, i.txBytes, i.txPackets, i.txErrors, i.txDrops] { w.varint(v) }
        }
        w.varint(UInt64(s.problems.count))
        for p in s.problems { w.string(p) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(ByteReader.Damaged) -> HostSnapshot {
        var r = ByteReader(bytes)
        var s = HostSnapshot(time: try r.double(), wallClock: try r.double(),
                             host: HostInfo(hostname: try r.string(), kernel: try r.string()))
        s.uptimeSeconds = try r.optional { r throws(ByteReader.Damaged) in try r.double() }
        s.cpuTotal = try r.optional { r throws(ByteReader.Damaged) in try r.usage() }
        for _ in 0..<(try r.count()) {
            let core = Int(try r.signed())
            s.cpuCores[core] = try r.usage()
        }
        s.coreCount = Int(try r.signed())
        s.load = try r.optional { r throws(ByteReader.Damaged) in
            LoadAverage(one: try r.double(), five: try r.double(), fifteen: try r.double(), runnable: Int(try r.signed()),
                        total: Int(try r.signed()))
        }
        s.runnable = try r.optional { r throws(ByteReader.Damaged) in Int(try r.signed()) }
        s.blocked = try r.optional { r throws(ByteReader.Damaged) in Int(try r.signed()) }
        s.pressure = try r.optional { r throws(ByteReader.Damaged) in
            func one(_ r: inout ByteReader) throws(ByteReader.Damaged) -> Pressure? {
                try r.optional { r throws(ByteReader.Damaged) in
                    Pressure(someAvg10: try r.double(), someAvg60: try r.double(), someAvg300: try r.double(),
                             fullAvg10: try r.optional { r throws(ByteReader.Damaged) in try r.double() })
                }
            }
            return PressureSet(cpu: try one(&r), memory: try one(&r), io: try one(&r))
        }
        s.memory = try r.optional { r throws(ByteReader.Damaged) in
            MemorySample(total: try r.varint(), available: try r.varint(), free: try r.varint(), buffers: try r.varint(),
                         cached: try r.varint(), swapTotal: try r.varint(), swapFree: try r.varint())
        }
        s.filesystems = try r.optional { r throws(ByteReader.Damaged) in
            var list: [FilesystemUsage] = []
            for _ in 0..<(try r.count()) {
                let mount = Mount(mountPoint: try r.string(), fsType: try r.string(), source: try r.string(), device: try r.string())
                var f = FilesystemUsage(mount: mount, size: try r.varint(), available: try r.varint(), used: try r.varint())
                f.isStale = try r.varint() != 0
                list.append(f)
            }
            return list
        }
        s.disks = try r.optional { r throws(ByteReader.Damaged) in
            var list: [DiskRates] = []
            for _ in 0..<(try r.count()) {
                list.append(DiskRates(name: try r.string(), readBytesPerSecond: try r.double(), writeBytesPerSecond: try r.double(),
                                      readsPerSecond: try r.double(), writesPerSecond: try r.double(), busy: try r.double(),
                                      averageWaitMs: try r.optional { r throws(ByteReader.Damaged) in try r.double() }))
            }
            return list
        }
        s.interfaces = try r.optional { r throws(ByteReader.Damaged) in
            var list: [InterfaceRates] = []
            for _ in 0..<(try r.count()) {
                list.append(InterfaceRates(name: try r.string(), rxBytesPerSecond: try r.double(), txBytesPerSecond: try r.double(),
                                           rxPacketsPerSecond: try r.double(), txPacketsPerSecond: try r.double(),
                                           errorsPerSecond: try r.double(), dropsPerSecond: try r.double()))
            }
            return list
        }
        s.selfUsage = SelfUsage(cpuFraction: try r.optional { r throws(ByteReader.Damaged) in try r.double() },
                                rssBytes: try r.optional { r throws(ByteReader.Damaged) in try r.varint() })
        s.counters.cpu = try r.optional { r throws(ByteReader.Damaged) in
            let total = try r.times()
            var cores: [Int: CPUTimes] = [:]
            for _ in 0..<(try r.count()) {
                let core = Int(try r.signed())
                cores[core] = try r.times()
            }
            return CPUStat(total: total, cores: cores, runnable: try r.optional { r throws(ByteReader.Damaged) in Int(try r.signed()) },
                           blocked: try r.optional { r throws(ByteReader.Damaged) in Int(try r.signed()) })
        }
        for _ in 0..<(try r.count()) {
            s.counters.disks.append(DiskCounters(name: try r.string(), readsCompleted: try r.varint(), sectorsRead: try r.varint(),
                                                 msReading: try r.varint(), writesCompleted: try r.varint(),
                                                 sectorsWritten: try r.varint(), msWriting: try r.varint(), msDoingIO: try r.varint()))
        }
        for _ in 0..<(try r.count()) {
            s.counters.interfaces.append(InterfaceCounters(name: try r.string(), rxBytes: try r.varint(), rxPackets: try r.varint(),
                                                           rxErrors: try r.varint(), rxDrops: try r.varint(), txBytes: try r.varint(),
                                                           txPackets: try r.varint(), txErrors: try r.varint(), txDrops: try r.varint()))
        }
        for _ in 0..<(try r.count()) { s.problems.append(try r.string()) }
        guard r.atEnd else { throw ByteReader.Damaged(at: r.offset) }
        return s
    }
}

extension ByteWriter {
    mutating func optional<T>(_ value: T?, _ body: (inout ByteWriter, T) -> Void) {
        guard let value else {
            varint(0)
            return
        }
        varint(1)
        body(&self, value)
    }

    mutating func usage(_ u: CPUUsage) {
        for v in [u.user, u.nice, u.system, u.iowait, u.irq, u.softirq, u.steal, u.idle] { double(v) }
    }

    mutating func times(_ t: CPUTimes) {
        for v in [t.user, t.nice, t.system, t.idle, t.iowait, t.irq, t.softirq, t.steal] { varint(v) }
    }
}

extension ByteReader {
    mutating func optional<T>(_ body: (inout ByteReader) throws(Damaged) -> T) throws(Damaged) -> T? {
        switch try varint() {
        case 0: return nil
        case 1: return try body(&self)
        default: throw Damaged(at: offset)
        }
    }

    /// A count of items that follow; more than the bytes left could hold is damage (and
    /// would otherwise loop for ever).
    mutating func count() throws(Damaged) -> Int {
        let n = try varint()
        guard n <= UInt64(bytes.count - offset) else { throw Damaged(at: offset) }
        return Int(n)
    }

    mutating func usage() throws(Damaged) -> CPUUsage {
        var u = CPUUsage()
        u.user = try double(); u.nice = try double(); u.system = try double(); u.iowait = try double()
        u.irq = try double(); u.softirq = try double(); u.steal = try double(); u.idle = try double()
        return u
    }

    mutating func times() throws(Damaged) -> CPUTimes {
        CPUTimes(user: try varint(), nice: try varint(), system: try varint(), idle: try varint(), iowait: try varint(),
                 irq: try varint(), softirq: try varint(), steal: try varint())
    }
}
