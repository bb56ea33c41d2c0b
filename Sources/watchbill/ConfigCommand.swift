import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillConfig
import WatchbillIncidents
import WatchbillRuntime
import WatchbillFleet
import WatchbillCore
import WatchbillScreen

/// `watchbill config check`: validates the config without starting anything.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the config file.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check",
            abstract: "Validate the config file: prints each probe, or the first error as file:line:column: cause.")

        @OptionGroup var configFile: ConfigFileOption

        func run() throws {
            let path = configFile.config ?? ConfigFile.defaultPath(environment: ConfigLoader.environment())
            let c = try ConfigLoader.load(path: path, required: true)
            print("\(path): OK, \(c.probes.count) probe\(c.probes.count == 1 ? "" : "s")")
            for p in c.probes {
                print("  \(p.name)  \(p.target)  every \(Format.interval(p.interval)), timeout \(Format.interval(p.timeout)), "
                      + "SLO \(ProbeTargetsText.describe(p.slo))")
            }
            // The p95 query as sent, to paste into Prometheus or Grafana when a row says no data.
            for l in c.fleet.latency {
                print("  latency \(l.name): p95 under \(Format.interval(l.threshold)): \(PrometheusLatency.quantileQuery(l, 0.95))")
            }
        }
    }
}

enum ProbeTargetsText {
    static func describe(_ s: SLOTargets) -> String {
        "availability \(Format.fixed(s.availability * 100, 3))%, \(Format.fixed(s.latencyTarget * 100, 1))% under "
            + "\(Format.interval(s.latencyThreshold)), over \(Format.interval(s.window))"
    }
}

/// `--config`, shared by the dashboard and `config check`.
struct ConfigFileOption: ParsableArguments {
    @Option(help: "Config file (probes, SLOs). Default: $XDG_CONFIG_HOME/watchbill/config.yaml, if it exists.")
    var config: String?
}

/// Reads and parses the config; an error is printed as `file:line:column: cause` and the
/// process exits with status 2: nothing starts on a broken config.
enum ConfigLoader {
    static func environment() -> [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }

    static func load(path: String?, required: Bool) throws -> WatchbillConfiguration {
        let env = environment()
        let file = path ?? ConfigFile.defaultPath(environment: env)
        // No config at the default place is the built-in defaults; one that cannot be read is an error.
        if !required && access(file, F_OK) != 0 { return WatchbillConfiguration() }
        do {
            let c = try ConfigFile.parse(try UserFile.text(file, limit: 16 << 20), file: file, environment: env)
            RuleLoader.adopt(c)
            return c
        } catch {
            fail("\(error)")
        }
    }

    static func fail(_ message: String) -> Never { StartupFailure.exit(message) }
}
