// Micro benchmarks for the hot paths: what one collection tick and one frame cost.
// Run with `swift run -c release watchbill-bench [proc-root | NAME:]` (`fleet:` runs only the fleet ones); Benchmarks/run.sh also
// runs the whole-process comparison against htop and btop.
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillCore
import WatchbillDomain
import WatchbillRules
import WatchbillConfig
import WatchbillScreen
import WatchbillIncidents
import WatchbillIncidentStore
import WatchbillRecording
import WatchbillExposition
import WatchbillFleet

@inline(never) func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }

/// Runs `body` `iterations` times per round, keeps the best of `rounds`: the least
/// disturbed by the other processes on a shared machine.
@discardableResult
func measure(_ name: String, iterations: Int, rounds: Int = 5, unit: String = "op", _ body: () -> Void) -> Double {
    // `watchbill-bench fleet:` runs only the measurements whose name starts so (for a profiler).
    if CommandLine.arguments.count > 1, CommandLine.arguments[1].hasSuffix(":"), !name.hasPrefix(CommandLine.arguments[1]) { return 0 }
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

// `watchbill-bench --make-recording FILE SECONDS`: a recording of this host's real tick,
// repeated at 1 s for SECONDS, for the replay benchmark (Benchmarks/replay.sh).
if CommandLine.arguments.count == 4 && CommandLine.arguments[1] == "--make-recording", let n = Int(CommandLine.arguments[3]) {
    var c = HostCollector(root: ProcRoot("/"))
    _ = c.sample(time: 0, wallClock: 1_800_000_000)
    var tick = c.sample(time: 1, wallClock: 1_800_000_001)
    let w = try! RecordingWriter(path: CommandLine.arguments[2], maxBytes: Int.max, maxAge: .infinity, now: 0)
    for i in 0..<n {
        tick.time = Double(i)
        tick.wallClock = 1_800_000_000 + Double(i)
        // A moving CPU figure, so the graphs change as they would.
        tick.cpuTotal?.user = 0.1 + 0.4 * Double((i * 37) % 100) / 100
        try! w.append(tick, now: Double(i), syncEvery: .infinity)
    }
    exit(0)
}

let root = CommandLine.arguments.count > 1 && !CommandLine.arguments[1].hasSuffix(":") ? CommandLine.arguments[1] : "/"
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

// Probes: what recording results and reading windows cost (Benchmarks/probes.sh measures
// the whole process with 1000 real targets).
/// Heavy-tailed latencies, 5 ms and up, from a fixed seed.
struct LatencySource {
    var seed: UInt64 = 42
    mutating func next() -> Double {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return 0.005 / max(0.0025, 1 - Double(seed >> 11) / Double(1 << 53))
    }
}
var latencies = LatencySource()
let probeSpecs = (0..<1000).map { ProbeSpec(name: "t\($0)", kind: .http(HTTPCheck(url: "http://127.0.0.1/\($0)")), interval: 1) }
var book = ProbeBook(specs: probeSpecs)
var probeTime = 1_800_000_000.0
// An hour of history at 1 s for every target, so windows and epochs are full.
for _ in 0..<3600 {
    for i in 0..<1000 { book.record(ProbeResult(probe: i, time: probeTime, duration: latencies.next(), status: 200)) }
    probeTime += 1
}
var next = 0
measure("probe result into the book (1000 targets)", iterations: 200_000, unit: "result") {
    book.record(ProbeResult(probe: next, time: probeTime, duration: latencies.next(), status: 200))
    next += 1
    if next == 1000 { next = 0; probeTime += 1 }
}
let raw = (0..<300).map { _ in UInt32(LatencyLayout.micros(latencies.next())) }
measure("close a 10 s slice (300 values to buckets)", iterations: 2000, unit: "slice") {
    blackHole(CompactHistogram(raw: raw))
}
let sliceA = CompactHistogram(raw: Array(raw.prefix(150))), sliceB = CompactHistogram(raw: Array(raw.suffix(150)))
measure("merge two slices", iterations: 100_000, unit: "merge") { blackHole(sliceA.merged(with: sliceB)) }
for window in LatencyWindow.allCases {
    book.advance(to: probeTime)
    measure("summary, \(window.rawValue) window (one target)", iterations: 2000, unit: "target") {
        blackHole(book.summary(0, at: probeTime, window: window))
    }
}
measure("summaries of 1000 targets, 5m window", iterations: 5, unit: "pass") {
    book.advance(to: probeTime)
    blackHole(book.summaries(at: probeTime, window: .fiveMinutes))
}
print("  book footprint for 1000 targets with an hour at 1 s: \(Format.bytes(Double(book.footprintBytes)))")

// Alert rules: what the collection thread adds each tick (record into the metric store,
// evaluate the default rules), after an hour of ticks on this host.
var ruleCollector = HostCollector(root: ProcRoot(root))
var metrics = MetricStore()
var tickWall = 1_800_000_000.0
for _ in 0..<3600 {
    var snap = ruleCollector.sample(time: tickWall, wallClock: tickWall)
    snap.wallClock = tickWall
    metrics.record(snap)
    tickWall += 1
}
let defaults = try! RuleFile.parse(BuiltinRules.source, file: BuiltinRules.file).groups
var engine = AlertEngine(groups: defaults.map { AlertEngine.Group(name: $0.name, interval: 1, rules: $0.rules.map(\.rule)) })
let lastSnap = ruleCollector.sample(time: tickWall, wallClock: tickWall)
measure("rules: record one tick (\(metrics.seriesCount) series)", iterations: 200, unit: "tick") {
    var s = lastSnap
    s.wallClock = tickWall
    metrics.record(s)
    tickWall += 1
}
measure("rules: evaluate the \(defaults.reduce(0) { $0 + $1.rules.count }) default rules", iterations: 200, unit: "tick") {
    tickWall += 1
    blackHole(engine.tick(at: tickWall, source: metrics))
}

// Real rule files: the awesome-prometheus-alerts collection (112 files, 954 rules written
// for others' exporters) and the monitoring mixins as rendered (212 files, 1,131 rules, 303
// of them recording; Tests/WatchbillConfigTests/Fixtures), every group at 15 s, over this
// host's hour of series. Benchmarks/rules.sh has Prometheus evaluate the same files.
var realGroups: [RuleGroup] = []
for dir in ["awesome-prometheus-alerts", "monitoring-mixins"].map({ "Tests/WatchbillConfigTests/Fixtures/" + $0 }) {
    for name in (ProcRoot("/").list(dir) ?? []).filter({ $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }).sorted() {
        if let bytes = ProcRoot("/").read(dir + "/" + name), let parsed = try? RuleFile.parse(String(decoding: bytes, as: UTF8.self), file: name) {
            realGroups += parsed.groups
        }
    }
}
if !realGroups.isEmpty {
    var realEngine = AlertEngine(groups: realGroups.map {
        AlertEngine.Group(name: $0.name, interval: 15, rules: $0.rules.map(\.rule), recordings: $0.recordings, order: $0.order)
    })
    let realRules = realGroups.reduce(0) { $0 + $1.rules.count + $1.recordings.count }
    var realWall = tickWall
    let perRealEvaluation = measure("rules: \(realRules) real-world rules (\(realGroups.count) groups) over this host's \(metrics.seriesCount) series",
                                    iterations: 20, rounds: 3, unit: "evaluation") {
        realWall += 15
        blackHole(realEngine.tick(at: realWall, source: metrics))
    }
    print("  every 15 s: \(Format.fixed(perRealEvaluation / 15 / 1e7, 2)) % of one core")
}

// A large rule set: 500 rules over 2,000 series (20 metrics x 100 instances, an hour at
// 1 s), evaluated every second: the time per evaluation is the CPU share of one core.
var big = MetricStore(retention: 3600)
let instances = (0..<100).map { "host\($0):9100" }
var bigWall = 1_800_000_000.0
for second in 0..<3600 {
    for m in 0..<20 {
        for (k, instance) in instances.enumerated() {
            let name = m < 10 ? "app_gauge_\(m)" : "app_requests_\(m)_total"
            var l = Labels(["instance": instance, "job": k % 2 == 0 ? "api" : "web"])
            l["__name__"] = name
            let v = m < 10 ? Double((second + k) % 100) / 100 : Double(second * (k + 1))
            big.append(l, t: bigWall, v: v)
        }
    }
    bigWall += 1
}
bigWall -= 1
var bigRules: [AlertRule] = []
for i in 0..<500 {
    let g = "app_gauge_\(i % 10)", c = "app_requests_\(10 + i % 10)_total"
    let expr: String
    switch i % 5 {
    case 0: expr = "\(g){job=\"api\"} > 0.\(90 + i % 9)"
    case 1: expr = "rate(\(c)[5m]) > \(1000 + i)"
    case 2: expr = "avg_over_time(\(g){instance=~\"host1.*\"}[5m]) > 0.95"
    case 3: expr = "sum by (job) (rate(\(c)[5m])) > 1e9"
    default: expr = "predict_linear(\(g){instance=\"host\(i % 100):9100\"}[1h], 4 * 3600) < 0"
    }
    bigRules.append(AlertRule(name: "Rule\(i)", expr: try! Parser.parse(expr), labels: ["severity": "P3"]))
}
var bigEngine = AlertEngine(groups: [AlertEngine.Group(name: "big", interval: 1, rules: bigRules)])
let perEvaluation = measure("rules: 500 rules over \(big.seriesCount) series", iterations: 5, rounds: 3, unit: "evaluation") {
    bigWall += 1
    blackHole(bigEngine.tick(at: bigWall, source: big))
}
print("  at one evaluation a second: \(Format.fixed(perEvaluation / 1e7, 1)) % of one core")

// Incidents: a note's cost to the person typing it (append, checked in its transaction,
// committed with synchronous=FULL), and a full re-read after another process wrote
// (100 incidents of 50 entries), which the dashboard does at most once a second.
let incidentDir = "/tmp/watchbill-bench-\(getpid())"
mkdir(incidentDir, 0o700)
let incidentStore = try! IncidentStore(path: incidentDir + "/incidents.sqlite")
var benchIncidents: [Int64] = []
for n in 0..<100 {
    let id = try! incidentStore.open(title: "bench \(n)", severity: .p2, at: 1_800_000_000, author: "bench")
    benchIncidents.append(id)
    for k in 0..<48 {
        try! incidentStore.append(IncidentEvent(incident: id, at: 1_800_000_000 + Double(k), writtenAt: 1_800_000_000,
                                                author: "bench", kind: .note, text: "note \(k)"))
    }
}
var noteCount = 0
measure("incidents: add a note (fsync'd commit)", iterations: 50, rounds: 3, unit: "note") {
    noteCount += 1
    try! incidentStore.append(IncidentEvent(incident: benchIncidents[0], at: 1_800_000_100, writtenAt: 1_800_000_100,
                                            author: "bench", kind: .note, text: "timed \(noteCount)"))
}
measure("incidents: re-read and fold 100 incidents x 50 entries", iterations: 10, rounds: 3, unit: "read") {
    blackHole(try! incidentStore.incidents())
}
measure("incidents: has anything changed (max seq)", iterations: 1000, rounds: 3, unit: "check") {
    blackHole(try! incidentStore.lastSeq())
}
for suffix in ["", "-wal", "-shm"] { unlink(incidentDir + "/incidents.sqlite" + suffix) }
rmdir(incidentDir)

// Recording: what `--record` adds to each tick (encoding on the collection thread's
// snapshot, then one write on the recorder's queue), on this host's real tick.
let recordDir = "/tmp/watchbill-bench-rec-\(getpid())"
mkdir(recordDir, 0o700)
var recordCollector = HostCollector(root: ProcRoot(root))
_ = recordCollector.sample(time: 0, wallClock: 1_800_000_000)
let recordTick = recordCollector.sample(time: 1, wallClock: 1_800_000_001)
measure("recording: encode one tick (\(SnapshotCodec.encode(recordTick).count) bytes)", iterations: 20_000, unit: "tick") {
    blackHole(SnapshotCodec.encode(recordTick))
}
let recordWriter = try! RecordingWriter(path: recordDir + "/bench.wbr", now: 0)
var recordNow = 0.0
measure("recording: append one tick (write; fsync every 10 s)", iterations: 2000, rounds: 3, unit: "tick") {
    recordNow += 1
    try! recordWriter.append(recordTick, now: recordNow)
}
for suffix in ["", ".1", ".2"] { unlink(recordDir + "/bench.wbr" + suffix) }

// History (rewind): what keeping whole ticks costs per tick and in memory for an hour, and
// what showing a past moment costs (decode the tick, window the series around it).
var history = SnapshotHistory(retention: 3600)
var historyTick = recordTick
var historyStore = SeriesStore(capacity: 3601, retention: 3600)
for i in 0..<3600 {
    historyTick.time = Double(i)
    historyTick.wallClock = 1_800_000_000 + Double(i)
    historyTick.cpuTotal?.user = Double(i % 100) / 100
    history.append(historyTick)
    historyStore.record(historyTick)
}
print("history: an hour at 1 s holds \(history.encodedBytes) bytes of encoded ticks (\(history.count) ticks)")
var historyNext = 3600.0
measure("history: keep one tick (encode, append, expire)", iterations: 20_000, unit: "tick") {
    historyTick.time = historyNext
    historyTick.wallClock = 1_800_000_000 + historyNext
    historyNext += 1
    history.append(historyTick)
}
let marks = (0..<20).map { TimelineMark(wallClock: 1_800_000_000 + Double($0 * 170), kind: .alert(paging: $0 % 2 == 0)) }
measure("history: the panes at a moment, 200 columns", iterations: 2000, unit: "frame") {
    let index = history.firstIndex + 1800
    let snap = history.snapshot(index)!
    blackHole(DashboardData(store: historyStore, snapshot: snap, points: 400, moment: snap.time, marks: marks,
                            clockOffset: 1_800_000_000))
}

// Replay's index: a day recorded at 1 s, read once in chunks; what stays in memory is the
// index, not the file.
let dayPath = recordDir + "/day.wbr"
do {
    let w = try! RecordingWriter(path: dayPath, maxBytes: Int.max, maxAge: .infinity, now: 0)
    var tick = recordTick
    for i in 0..<86_400 {
        tick.time = Double(i)
        tick.wallClock = 1_800_000_000 + Double(i)
        try! w.append(tick, now: Double(i), syncEvery: .infinity)
    }
}
var dayStat = stat()
stat(dayPath, &dayStat)
var dayTicks = 0
let indexTime = measure("replay: index a day at 1 s (\(dayStat.st_size >> 20) MiB)", iterations: 1, rounds: 3, unit: "file") {
    let set = try! RecordingSet(paths: [dayPath])
    dayTicks = set.ticks.count
    blackHole(set)
}
print("replay: index \(dayTicks * MemoryLayout<RecordingSet.Tick>.stride / 1024) KiB for \(dayTicks) ticks "
      + "(\(Format.fixed(Double(dayStat.st_size) / Double(dayTicks * MemoryLayout<RecordingSet.Tick>.stride), 1))x smaller than the file); "
      + "\(Format.fixed(Double(dayStat.st_size) / indexTime * 1000, 0)) MB/s")
let daySet = try! RecordingSet(paths: [dayPath])
var dayIndex = 0
measure("replay: read and decode one tick by its place", iterations: 20_000, unit: "tick") {
    dayIndex = (dayIndex + 7919) % daySet.ticks.count
    blackHole(daySet.snapshot(dayIndex))
}
unlink(dayPath)
rmdir(recordDir)

// Fleet: what one node_exporter scrape costs to read (the real fixture, about 100 kB, 507
// samples), and the fleet table of 500 hosts drawn at 200x50.
// Run from the package root (Benchmarks/run.sh does), where the fixture is.
var scrapeBytes: [UInt8] = []
let scrapeFD = open("Tests/WatchbillFleetTests/Fixtures/scrape-a.txt", O_RDONLY)
if scrapeFD >= 0 {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(scrapeFD, &chunk, chunk.count)
        if n <= 0 { break }
        scrapeBytes += chunk[0..<n]
    }
    close(scrapeFD)
}
if scrapeBytes.isEmpty { print("fleet: run from the package root for the scrape figures") }
if !scrapeBytes.isEmpty {
    measure("fleet: parse one node_exporter scrape (\(scrapeBytes.count / 1024) kB)", iterations: 200, unit: "scrape") {
        blackHole(try! Exposition.parse(scrapeBytes, source: "bench"))
    }
    // The same page as an exporter answers Prometheus' Accept header with OpenMetrics: a
    // counter's family named without _total, untyped as unknown, # EOF at the end.
    var openMetrics = ""
    for line in String(decoding: scrapeBytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
        var l = String(line)
        if l.hasPrefix("# TYPE ") || l.hasPrefix("# HELP ") {
            var words = l.split(separator: " ", maxSplits: 3).map(String.init)
            if words.count > 2, words[2].hasSuffix("_total") { words[2].removeLast(6) }
            if words.count == 4, words[1] == "TYPE", words[3] == "untyped" { words[3] = "unknown" }
            l = words.joined(separator: " ")
        }
        openMetrics += l + "\n"
    }
    let openMetricsBytes = Array((openMetrics + "# EOF\n").utf8)
    measure("fleet: parse the same scrape as OpenMetrics", iterations: 200, unit: "scrape") {
        blackHole(try! Exposition.parse(openMetricsBytes, source: "bench", format: .openMetrics))
    }
    let families = try! Exposition.parse(scrapeBytes, source: "bench")
    var exporterHost = NodeExporterHost()
    var scrapeTime = 0.0
    measure("fleet: scrape into a snapshot (rates, filesystems, disks)", iterations: 2000, unit: "scrape") {
        scrapeTime += 5
        blackHole(exporterHost.snapshot(families, time: scrapeTime, wallClock: scrapeTime, fallbackName: "h:9100"))
    }
}
var fleetState = AppState(interval: 1)
fleetState.fleet = FleetData(rows: (0..<500).map { i in
    FleetRow(id: "10.1.\(i / 256).\(i % 256):9100", name: "node-\(1000 + i)", status: i % 50 == 0 ? .down("timeout") : .up,
             cpu: Double(i % 100) / 100, memory: 0.5, worstDisk: (mount: "/", used: Double(i % 90) / 100), rx: 1e6, tx: 2e5,
             cpuHistory: GraphData(values: (0..<24).map { Double(($0 + i) % 10) / 10 }, endIndex: 24 + i))
}, interval: 5)
fleetState.fleetView.sort = .cpu
fleetState.fleetView.descending = true
measure("fleet: the table of 500 hosts, 200x50 (sort, rows, sparklines)", iterations: 500, unit: "frame") {
    blackHole(Screen.render(fleetState, width: 200, height: 50))
}

// Service latency from Prometheus: a refresh's answers for 10 histograms of 20 handlers each
// (JSON decode, match by label, half-hour history), and the fleet table with that pane.
func latencyAnswer(_ handlers: Int, value: (Int) -> Double) -> [UInt8] {
    let items = (0..<handlers).map { #"{"metric":{"handler":"/api/v\#($0)"},"value":[1796174379.8,"\#(value($0))"]}"# }
    return Array(#"{"status":"success","data":{"resultType":"vector","result":[\#(items.joined(separator: ","))]}}"#.utf8)
}
func latencyRange(_ handlers: Int) -> [UInt8] {
    let items = (0..<handlers).map { h in
        let points = (0..<24).map { #"[\#(1796174379 - 1800 + 75 * ($0 + 1)),"\#(0.05 + Double(($0 + h) % 7) / 100)"]"# }
        return #"{"metric":{"handler":"/api/v\#(h)"},"values":[\#(points.joined(separator: ","))]}"#
    }
    return Array(#"{"status":"success","data":{"resultType":"matrix","result":[\#(items.joined(separator: ","))]}}"#.utf8)
}
let latencySpecs = (0..<10).map { LatencyHistogramSpec(name: "svc\($0)", histogram: "http_request_duration_seconds", by: ["handler"]) }
let latencyBodies = (0..<10).flatMap { _ in
    [latencyAnswer(20) { 0.01 + Double($0) / 1000 }, latencyAnswer(20) { 0.1 + Double($0) / 100 },
     latencyAnswer(20) { 0.2 + Double($0) / 100 }, latencyAnswer(20) { Double($0) * 3.5 }]
}
let latencyRanges = (0..<10).map { _ in latencyRange(20) }
var latencyRows: [ServiceLatency] = []
measure("fleet: latency from Prometheus, 10 histograms x 20 handlers (decode, rows, history)", iterations: 50, unit: "refresh") {
    let answers = latencyBodies.map { try! PrometheusAPI.vector($0) }
    let history = latencyRanges.map { try! PrometheusAPI.matrix($0) }
    latencyRows = PrometheusLatency(latencySpecs).rows(answers, history: history, historyEnd: 1796174379)
    blackHole(latencyRows)
}
fleetState.fleet?.latency = Array(latencyRows.prefix(40))
measure("fleet: the table of 500 hosts and 40 latency rows, 200x50", iterations: 500, unit: "frame") {
    blackHole(Screen.render(fleetState, width: 200, height: 50))
}
