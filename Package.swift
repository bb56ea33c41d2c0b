// swift-tools-version:6.0
import PackageDescription

// The release binary carries the Swift runtime inside (so it runs where no toolchain is
// installed, and a start maps only the pages it uses), linked by lld with the functions the
// common paths run placed first (Packaging/symbol-order.sh). Debug builds stay dynamic: they
// link faster.
let symbolOrder = Context.packageDirectory + "/Packaging/symbol-order.txt"
let releaseLink: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib", "-use-ld=lld", "-Xlinker", "--symbol-ordering-file=" + symbolOrder,
                  "-Xlinker", "--no-warn-symbol-ordering",
                  // Where each function landed, for symbol-order.sh (git ignores it).
                  "-Xlinker", "-Map=" + Context.packageDirectory + "/Packaging/.watchbill-release.map"],
                 .when(configuration: .release)),
]

let package = Package(
    name: "Watchbill",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "watchbill", targets: ["watchbill"]),
        .library(name: "WatchbillCore", targets: ["WatchbillCore"]),
        .library(name: "WatchbillCollectors", targets: ["WatchbillCollectors"]),
        .library(name: "WatchbillScreen", targets: ["WatchbillScreen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // Layer 1: samples, ring buffers, the series store. Pure Swift, no I/O.
        .target(
            name: "WatchbillCore",
            dependencies: [.product(name: "DequeModule", package: "swift-collections")]
        ),
        // Layer 2: Linux readers. Pure parsers plus file access under an injectable root.
        .target(name: "WatchbillCollectors", dependencies: ["WatchbillCore"]),
        // Layer 2: probes of endpoints through libcurl's multi interface, on their own thread.
        // libcurl is loaded with dlopen when probes start (its headers come from
        // libcurl4-openssl-dev), so a dashboard without probes never maps it.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "WatchbillProbes", dependencies: ["WatchbillCore", "CCurl"]),
        // Domain: the PromQL subset alert rules are written in (parser and evaluator).
        .target(
            name: "WatchbillRules",
            dependencies: ["WatchbillCore", .product(name: "DequeModule", package: "swift-collections")]
        ),
        // Notifications: alerts to Alertmanager's v2 API and to webhooks (Alertmanager's
        // webhook JSON, version 4), through an on-disk intent log so a crash re-sends.
        .target(name: "WatchbillNotify", dependencies: ["WatchbillCore", "WatchbillRules", "CCurl"]),
        // YAML documents as trees of marked nodes, through the system's libyaml.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        .target(name: "WatchbillYAML", dependencies: ["CYAML"]),
        // The config file (probes, SLOs) read with line and column in every error.
        .target(name: "WatchbillConfig", dependencies: ["WatchbillCore", "WatchbillRules", "WatchbillIncidents", "WatchbillYAML"]),
        // Domain: latency windows, SLIs, error budgets and burn rates. Pure Swift, fake-clock tested.
        .target(
            name: "WatchbillDomain",
            dependencies: [
                "WatchbillCore",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Domain: incidents as folds of an append-only event log; postmortem export and
        // response-time statistics. Pure Swift.
        .target(name: "WatchbillIncidents", dependencies: ["WatchbillCore"]),
        // The incident store: SQLite through its C API (WAL, shared by every watchbill on the host).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .target(name: "WatchbillIncidentStore", dependencies: ["WatchbillIncidents", "CSQLite"]),
        // Recordings (the history issue): the append-only block file and its value codec.
        // The Prometheus text exposition format (node_exporter, client libraries), read from bytes.
        .target(name: "WatchbillExposition", dependencies: ["WatchbillCore"]),
        // Other hosts: node_exporter scraped (`--node`), Prometheus queried.
        .target(name: "WatchbillFleet", dependencies: ["WatchbillCore", "WatchbillCollectors", "WatchbillExposition", "CCurl"]),
        .target(name: "WatchbillRecording", dependencies: ["WatchbillCore", .product(name: "DequeModule", package: "swift-collections")]),
        // Layer 3: cell grid, widgets, views, app state. No curses.
        .target(name: "WatchbillScreen", dependencies: ["WatchbillCore", "WatchbillDomain", "WatchbillRules", "WatchbillIncidents", "WatchbillYAML"]),
        // Layer 4: the only code that talks to ncursesw.
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]
        ),
        // The runtime: every input as an event into one reduce, the moment shown as a value,
        // the threads that feed it (collection, probes, fleet, remote alerts, notifications,
        // recording), the files it keeps, and the wake-up the terminal implements. No curses.
        .target(name: "WatchbillRuntime",
                dependencies: ["WatchbillCore", "WatchbillScreen", "WatchbillRules", "WatchbillFleet", "WatchbillIncidents", "WatchbillDomain",
                               "WatchbillRecording", "WatchbillExposition", "WatchbillCollectors", "WatchbillProbes", "WatchbillNotify",
                               "WatchbillIncidentStore", "WatchbillConfig", .product(name: "Logging", package: "swift-log")]),
        .target(name: "CTermGuard", dependencies: ["CNcursesw"]),
        .target(name: "WatchbillTerminal", dependencies: ["WatchbillScreen", "WatchbillRuntime", "CNcursesw", "CTermGuard"]),
        // Layer 5: argument parsing and wiring.
        .executableTarget(
            name: "watchbill",
            dependencies: [
                "WatchbillCore", "WatchbillCollectors", "WatchbillScreen", "WatchbillTerminal",
                "WatchbillProbes", "WatchbillConfig", "WatchbillDomain", "WatchbillRules", "WatchbillNotify",
                "WatchbillIncidents", "WatchbillIncidentStore", "WatchbillRecording", "WatchbillFleet", "WatchbillRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))],
            linkerSettings: releaseLink
        ),
        // Micro benchmarks: `swift run -c release watchbill-bench` (Benchmarks/run.sh runs all).
        .executableTarget(
            name: "watchbill-bench",
            dependencies: ["WatchbillCore", "WatchbillCollectors", "WatchbillScreen", "WatchbillDomain", "WatchbillRules",
                           "WatchbillConfig", "WatchbillIncidents", "WatchbillIncidentStore", "WatchbillRecording",
                           "WatchbillExposition", "WatchbillFleet"],
            path: "Benchmarks/Micro"
        ),
        .testTarget(name: "WatchbillCoreTests", dependencies: ["WatchbillCore"]),
        .testTarget(name: "WatchbillYAMLTests", dependencies: ["WatchbillYAML"]),
        .testTarget(name: "WatchbillExpositionTests", dependencies: ["WatchbillExposition", "LoopbackServers"], exclude: ["Fixtures", "Server"]),
        // Loopback servers and ports more than one test target starts.
        .target(name: "LoopbackServers", path: "Tests/LoopbackServers"),
        .testTarget(name: "WatchbillFleetTests", dependencies: ["WatchbillFleet", "WatchbillExposition", "WatchbillCore", "WatchbillCollectors", "WatchbillRules", "LoopbackServers"],
                    exclude: ["Fixtures", "Server"]),
        .testTarget(name: "WatchbillCollectorsTests", dependencies: ["WatchbillCollectors"], exclude: ["Fixtures"]),
        .testTarget(name: "WatchbillScreenTests", dependencies: ["WatchbillScreen", "WatchbillRules", "WatchbillIncidents", "WatchbillRecording"], exclude: ["Goldens", "Fixtures"]),
        .testTarget(name: "WatchbillProbesTests", dependencies: ["WatchbillProbes", "WatchbillDomain", "LoopbackServers"], exclude: ["Server"]),
        .testTarget(name: "WatchbillConfigTests", dependencies: ["WatchbillConfig", "WatchbillRules", "WatchbillIncidents"], exclude: ["Fixtures"]),
        .testTarget(name: "WatchbillDomainTests", dependencies: ["WatchbillDomain"]),
        .testTarget(name: "WatchbillRulesTests", dependencies: ["WatchbillRules", "WatchbillCollectors"]),
        .testTarget(name: "WatchbillNotifyTests", dependencies: ["WatchbillNotify", "WatchbillRules", "LoopbackServers"]),
        .testTarget(name: "WatchbillIncidentsTests", dependencies: ["WatchbillIncidents"], exclude: ["Goldens"]),
        .testTarget(name: "WatchbillIncidentStoreTests", dependencies: ["WatchbillIncidentStore", "WatchbillIncidents"], exclude: ["Fixtures"]),
        .testTarget(name: "WatchbillRecordingTests", dependencies: ["WatchbillRecording", "WatchbillCollectors", "WatchbillCore"]),
        .testTarget(name: "WatchbillRuntimeTests", dependencies: ["WatchbillRuntime", "WatchbillCollectors", "WatchbillScreen", "WatchbillRules", "WatchbillFleet", "WatchbillIncidents", "WatchbillCore", "WatchbillExposition", "WatchbillDomain", "WatchbillRecording", "WatchbillConfig"]),
        .testTarget(name: "EndToEndTests", dependencies: ["LoopbackServers"]),
    ],
    swiftLanguageModes: [.v6]
)

// Each function in its own section in release, so the link can place the ones a start runs
// side by side (symbol-order.txt); without it a file's functions are one block.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-Xfrontend", "-function-sections"], .when(configuration: .release))]
}

// The libFuzzer targets (Fuzz/run.sh): only when asked for, since the binary has no main of
// its own and links only with -sanitize=fuzzer.
if Context.environment["WATCHBILL_FUZZ"] != nil {
    package.targets.append(.executableTarget(
        name: "watchbill-fuzz",
        dependencies: ["WatchbillCore", "WatchbillCollectors", "WatchbillScreen", "WatchbillRules", "WatchbillConfig",
                       "WatchbillRecording", "WatchbillExposition"],
        path: "Fuzz",
        exclude: ["run.sh", "README.md", "regressions"],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ))
    package.products.append(.executable(name: "watchbill-fuzz", targets: ["watchbill-fuzz"]))
}
