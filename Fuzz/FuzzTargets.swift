#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillConfig
import WatchbillCore
import WatchbillExposition
import WatchbillRecording
import WatchbillRules
import WatchbillScreen

/// One libFuzzer binary, every parser that reads outside input: `FUZZ_TARGET` names which
/// (Fuzz/run.sh sets it). Each input is handed to the parser as it would arrive; an error
/// thrown is a pass, a trap, an overflow or a hang is what libFuzzer reports.
enum FuzzTarget: String, CaseIterable {
    case exposition, openmetrics, promql, template, rulefile, ruletest, config, theme, keys, recording, proc

    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .exposition:
            if let families = try? Exposition.parse(bytes, source: "fuzz") { _ = families.flatMap(HistogramSeries.group) }
        case .openmetrics:
            if let families = try? Exposition.parse(bytes, source: "fuzz", format: .openMetrics) { _ = families.flatMap(HistogramSeries.group) }
        case .promql:
            // Parsed, then evaluated over a few series, as a rule is every interval.
            guard let e = try? Parser.parse(text) else { return }
            let labels = Labels(["__name__": "up", "job": "node", "instance": "a:9100"])
            let source = StaticSeriesSource([RangeSeries(labels: labels, points: (0..<20).map { RangeSeries.Point(Double($0) * 15, Double($0 % 3)) })])
            _ = try? Evaluator(source: source).evaluate(e, at: 300)
        case .template:
            // The last eight bytes are the alert's value (any double: NaN, infinities, 1e300).
            guard bytes.count >= 8 else { return }
            let bits = bytes.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let source = String(decoding: bytes.dropLast(8), as: UTF8.self)
            _ = (try? Template(source))?.render(labels: Labels(["instance": "a:9100", "job": "node"]), value: Double(bitPattern: bits))
        case .rulefile:
            _ = try? RuleFile.parse(text, file: "fuzz.yml")
        case .ruletest:
            // Parsed and expanded only: running a test is bounded by its own limits.
            _ = try? RuleTestFile.parse(text, file: "fuzz_test.yml")
        case .config:
            _ = try? ConfigFile.parse(text, file: "config.yaml", environment: ["TOKEN": "t"])
        case .theme:
            _ = try? ThemeParser.parse(text, name: "fuzz", file: "fuzz.theme")
        case .keys:
            _ = try? KeyMapFile.load(text, file: "keys.yaml")
        case .recording:
            _ = RecordingContents(bytes: bytes)
        case .proc:
            // The first byte picks the /proc file, the rest is its contents.
            guard let which = bytes.first else { return }
            let body = Array(bytes.dropFirst())
            switch which % 10 {
            case 0: _ = try? CPUParsers.stat(body)
            case 1: _ = try? CPUParsers.loadavg(body)
            case 2: _ = try? CPUParsers.pressure(body, file: "cpu")
            case 3: _ = try? CPUParsers.uptime(body)
            case 4: _ = try? DiskParsers.mountinfo(body)
            case 5: _ = try? DiskParsers.diskstats(body)
            case 6: _ = try? MemoryParser.meminfo(body)
            case 7: _ = try? NetworkParser.netdev(body)
            case 8: _ = try? ProcessParsers.stat(body)
            default:
                _ = ProcessParsers.io(body)
                _ = ProcessParsers.commandLine(body)
                _ = ProcessParsers.unitName(cgroup: ProcessParsers.cgroup(body))
                _ = ProcessParsers.uid(fromStatus: body)
                _ = ProcessParsers.passwd(body)
            }
        }
    }
}

let target: FuzzTarget = {
    let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        let message = "FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// SwiftPM links an executable's entry point under this name (and points `main` at it), so
/// the program starts here and hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("watchbill_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
