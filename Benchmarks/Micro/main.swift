// Micro benchmarks for the hot paths: what one collection tick and one frame cost.
// Run with `swift run -c release watchbill-bench [proc-root]`; Benchmarks/run.sh also
// runs the whole-process comparison against htop and btop.
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillCore
import WatchbillScreen

@inline(never) func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }

/// Runs `body` `iterations` times per round, keeps the best of `rounds`: the least
/// disturbed by the other processes on a shared machine.
@discardableResult
func measure(_ name: String, iterations: Int, rounds: Int = 5, unit: String = "op", _ body: () -> Void) -> Double {
    var best = Duration.seconds(1000)
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let t = clock.measure { for _ in 0..<iterations { body() } }
        best = min(best, t)
    }
    let ns = Double(best.components.seconds) * 1e9 + Double(best.components.attoseconds) / 1e9
    let per = ns / Double(iterations)
    let text = per >= 1000 ? "\(Format.fixed(per / 1000, 2)) us" : "\(Format.fixed(per, 1)) ns"
    print("\(name.padding(46)) \(Format.padLeft(text, 12)) per \(unit)")
    return per
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

let root = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "/"
print("watchbill micro benchmarks (best of 5 rounds; proc root \(root))")

// Ring buffer: steady-state append on a full buffer.
var ring = RingBuffer<Point>(capacity: 3600)
for i in 0..<3600 { ring.append(Point(time: Double(i), value: 0)) }
var t = 3600.0
measure("ring buffer append (full, 3600 points)", iterations: 1_000_000, unit: "append") {
    t += 1
    ring.append(Point(time: t, value: t))
}

// One collection tick on this host (or a fixture tree): read, parse, derive, record.
var collector = HostCollector(root: ProcRoot(root), selfRoot: nil)
var store = SeriesStore(capacity: 3600)
var now = 0.0
_ = collector.sample(time: now, wallClock: 0)
measure("collection tick (read+parse all sources)", iterations: 200, unit: "tick") {
    now += 1
    blackHole(collector.sample(time: now, wallClock: 0))
}
let snap = collector.sample(time: now + 1, wallClock: 0)
measure("series store record (one tick)", iterations: 10_000, unit: "tick") {
    store.record(snap)
}

// Frames: a full dashboard render into the grid, and the diff the backend sends.
var state = AppState(interval: 1, glyphs: .unicode)
state.clock = "12:00:00"
state.data = DashboardData(store: store, snapshot: snap, points: 400)
for (w, h) in [(80, 24), (200, 50)] {
    measure("render dashboard \(w)x\(h)", iterations: 300, unit: "frame") {
        blackHole(Screen.render(state, width: w, height: h))
    }
}
let frameA = Screen.render(state, width: 200, height: 50)
store.record(snap)
state.data = DashboardData(store: store, snapshot: snap, points: 400)
let frameB = Screen.render(state, width: 200, height: 50)
measure("grid diff 200x50 (consecutive frames)", iterations: 2000, unit: "diff") {
    blackHole(frameB.changedCells(since: frameA))
}
print("  cells changed between the two frames: \(frameB.changedCells(since: frameA).count) of \(200 * 50)")
measure("grid diff 200x50 (first frame, no previous)", iterations: 2000, unit: "diff") {
    blackHole(frameB.changedCells(since: nil))
}

// Processes: one full scan of /proc (what the Processes pane costs each refresh).
var scanner = ProcessScanner(root: ProcRoot(root))
var scanTime = 0.0
let count = scanner.scan(time: scanTime, memoryTotal: 1 << 34).count
let perScan = measure("process scan (\(count) processes)", iterations: 50, unit: "scan") {
    scanTime += 1
    blackHole(scanner.scan(time: scanTime, memoryTotal: 1 << 34))
}
print("  per process: \(Format.fixed(perScan / Double(max(1, count)) / 1000, 2)) us")
