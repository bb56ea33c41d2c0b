import Testing
@testable import WatchbillCore

@Suite struct CounterDeltaTests {
    @Test func increase() {
        #expect(counterDelta(from: 100, to: 250) == 150)
        #expect(counterDelta(from: 7, to: 7) == 0)
    }

    @Test func thirtyTwoBitWrap() {
        // 4294967000 -> wraps past 2^32 -> 500: 295 + 1 + 500.
        #expect(counterDelta(from: 4_294_967_000, to: 500) == 796)
    }

    @Test func sixtyFourBitWrap() {
        #expect(counterDelta(from: UInt64.max - 99, to: 50) == 150)
    }

    @Test func resetGivesNoDelta() {
        // A device re-created: its counter restarts near zero from a large 64-bit value.
        #expect(counterDelta(from: 9_000_000_000_000, to: 1_000) == nil)
        // A 32-bit-sized counter dropping by more than half its range is a reset too.
        #expect(counterDelta(from: 3_000_000_000, to: 2_000_000_000) == nil)
        // 3e9 -> 1000 would be a 1.3 GB wrap of a 32-bit counter: a reset is likelier.
        #expect(counterDelta(from: 3_000_000_000, to: 1_000) == nil)
    }

    @Test func rateDividesByElapsedTime() {
        #expect(counterRate(from: 1000, to: 3000, seconds: 2) == 1000)
        #expect(counterRate(from: 1000, to: 3000, seconds: 0) == nil)
    }
}

@Suite struct CPUUsageTests {
    @Test func fractionsOfTheInterval() throws {
        let a = CPUTimes(user: 100, nice: 0, system: 50, idle: 800, iowait: 50)
        let b = CPUTimes(user: 160, nice: 0, system: 70, idle: 900, iowait: 70)
        let u = try #require(CPUUsage(from: a, to: b))
        #expect(u.user == 0.3)
        #expect(u.system == 0.1)
        #expect(u.idle == 0.5)
        #expect(u.iowait == 0.1)
        #expect(abs(u.busy - 0.4) < 1e-12)
    }

    @Test func counterGoingBackwardsCountsAsZero() throws {
        // Some kernels decrease iowait between reads.
        let a = CPUTimes(user: 100, idle: 100, iowait: 500)
        let b = CPUTimes(user: 150, idle: 150, iowait: 400)
        let u = try #require(CPUUsage(from: a, to: b))
        #expect(u.iowait == 0)
        #expect(u.user == 0.5)
    }

    @Test func sameReadingTwiceHasNoUsage() {
        let a = CPUTimes(user: 1, idle: 1)
        #expect(CPUUsage(from: a, to: a) == nil)
    }
}

@Suite struct RecordingTests {
    @Test func firstTickStoresGapsForRates() throws {
        var store = SeriesStore(capacity: 10)
        var snap = HostSnapshot(time: 1, wallClock: 0, host: HostInfo(hostname: "h", kernel: "k"))
        snap.memory = MemorySample(total: 100, available: 25, free: 10, buffers: 0, cached: 0, swapTotal: 0, swapFree: 0)
        snap.interfaces = []
        store.record(snap)
        let cpu = try #require(store[SeriesKey(Metric.cpuBusy)]?.latest)
        #expect(cpu.value.isNaN)
        let rx = try #require(store[SeriesKey(Metric.networkReceiveTotal)]?.latest)
        #expect(rx.value.isNaN)
        #expect(store[SeriesKey(Metric.memoryUsed)]?.latest?.value == 0.75)
    }

    @Test func ratesAreSummedOverInterfaces() throws {
        var store = SeriesStore(capacity: 10)
        var snap = HostSnapshot(time: 2, wallClock: 0, host: HostInfo(hostname: "h", kernel: "k"))
        snap.cpuTotal = CPUUsage()
        snap.interfaces = [
            InterfaceRates(name: "eth0", rxBytesPerSecond: 100, txBytesPerSecond: 10, rxPacketsPerSecond: 1,
                           txPacketsPerSecond: 1, errorsPerSecond: 0, dropsPerSecond: 0),
            InterfaceRates(name: "eth1", rxBytesPerSecond: 50, txBytesPerSecond: 5, rxPacketsPerSecond: 1,
                           txPacketsPerSecond: 1, errorsPerSecond: 0, dropsPerSecond: 0),
        ]
        store.record(snap)
        #expect(store[SeriesKey(Metric.networkReceiveTotal)]?.latest?.value == 150)
        #expect(store[SeriesKey(Metric.networkTransmit, "eth1")]?.latest?.value == 5)
        #expect(store.capacity == 10)
    }
}
