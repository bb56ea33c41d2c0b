import Synchronization
import Testing
import WatchbillCore
import WatchbillIncidents
@testable import WatchbillConfig

/// The config file's error for `yaml`, or nil if it parsed.
private func parseError(_ yaml: String, environment: [String: String] = [:]) -> SourceError? {
    do {
        _ = try ConfigFile.parse(yaml, file: "c.yaml", environment: environment)
        return nil
    } catch let error as SourceError {
        return error
    } catch {
        Issue.record("not a SourceError: \(error)")
        return nil
    }
}

private func expectError(_ yaml: String, environment: [String: String] = [:], line: Int, column: Int, cause: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(parseError(yaml, environment: environment) == SourceError(file: "c.yaml", line: line, column: column, cause: cause),
            sourceLocation: sourceLocation)
}

@Suite struct ConfigFileTests {
    static let example = """
        probes:
          - name: api
            http:
              url: https://api.example.com/health
              method: HEAD
              expect_status: [200-299, 304, 4xx]
              body_contains: "ok"
              headers:
                Authorization: "Bearer ${API_TOKEN}"
                X-Price: "$$5 and $HOME"
              follow_redirects: true
              tls_verify: false
              ca_file: /etc/ssl/private-ca.pem
              reuse_connection: true
              max_body: 64KiB
            interval: 10s
            timeout: 1500ms
            labels: {team: payments, tier: 1}
            slo:
              latency_threshold: 300ms
          - name: db
            tcp: {address: "db.internal:5432", tls: true, tls_verify: false, ca_file: /etc/ssl/db-ca.pem}
            interval: 1m
          - name: resolver
            dns: {name: example.com}
            interval: 30
            timeout: 0.5
        slo:
          availability: 99.5%
          latency_threshold: 400ms
          latency_target: 0.9
          error_rate: 0.5%
          window: 7d
          min_probes: 20
        latency:
          shared_axis: true
        """

    @Test func theFullExampleParsesFieldByField() throws {
        let config = try ConfigFile.parse(Self.example, file: "c.yaml", environment: ["API_TOKEN": "tok-123"])
        let fileSLO = SLOTargets(availability: 0.995, latencyThreshold: 0.4, latencyTarget: 0.9, errorRate: 0.005,
                                 window: 7 * 86_400, minProbes: 20)
        #expect(config.slo == fileSLO)
        #expect(config.sharedLatencyAxis)
        try #require(config.probes.count == 3)

        let api = config.probes[0]
        #expect(api.name == "api")
        guard case .http(let http) = api.kind else { Issue.record("api is not http"); return }
        #expect(http.url == "https://api.example.com/health")
        #expect(http.method == "HEAD")
        #expect(http.expectedStatus == [200...299, 304...304, 400...499])
        #expect(http.bodyContains == "ok")
        #expect(http.headers.map(\.name) == ["Authorization", "X-Price"])
        #expect(http.headers.map(\.value.revealed) == ["Bearer tok-123", "$5 and $HOME"])
        #expect(http.followRedirects == true)
        #expect(http.verifyTLS == false)
        #expect(http.caFile == "/etc/ssl/private-ca.pem")
        #expect(http.reuseConnection == true)
        #expect(http.maxBodyBytes == 65_536)
        #expect(api.interval == 10)
        #expect(api.timeout == 1.5)
        #expect(api.labels == ["team": "payments", "tier": "1"])
        var apiSLO = fileSLO
        apiSLO.latencyThreshold = 0.3
        #expect(api.slo == apiSLO)

        let db = config.probes[1]
        #expect(db.name == "db")
        #expect(db.kind == .tcp(TCPCheck(address: "db.internal:5432", tls: true, verifyTLS: false, caFile: "/etc/ssl/db-ca.pem")))
        #expect(db.interval == 60)
        #expect(db.timeout == 2)
        #expect(db.labels == [:])
        #expect(db.slo == fileSLO)

        let resolver = config.probes[2]
        #expect(resolver.name == "resolver")
        #expect(resolver.kind == .dns(DNSCheck(name: "example.com")))
        #expect(resolver.interval == 30)
        #expect(resolver.timeout == 0.5)
        #expect(resolver.slo == fileSLO)
    }

    @Test func leftOutKeysTakeTheirDefaults() throws {
        let config = try ConfigFile.parse("""
            probes:
              - name: web
                http: {url: "http://web.internal/"}
              - name: cache
                tcp: {address: "[::1]:6379"}
              - name: ns
                dns: {name: example.org.}
              - name: fast
                dns: {name: example.org}
                interval: 1s
                timeout:
            """, file: "c.yaml", environment: [:])
        #expect(config.slo == .sla)
        #expect(config.sharedLatencyAxis == false)
        try #require(config.probes.count == 4)
        let web = config.probes[0]
        guard case .http(let http) = web.kind else { Issue.record("web is not http"); return }
        #expect(http.method == "GET")
        #expect(http.expectedStatus == [200...399])
        #expect(http.bodyContains == nil)
        #expect(http.headers.isEmpty)
        #expect(http.followRedirects == false)
        #expect(http.verifyTLS == true)
        #expect(http.caFile == nil)
        #expect(http.reuseConnection == false)
        #expect(http.maxBodyBytes == 262_144)
        #expect(web.interval == 5)
        #expect(web.timeout == 2)
        #expect(web.labels.isEmpty)
        #expect(web.slo == .sla)
        #expect(config.probes[1].kind == .tcp(TCPCheck(address: "[::1]:6379", tls: false, verifyTLS: true, caFile: nil)))
        #expect(config.probes[2].kind == .dns(DNSCheck(name: "example.org.")))
        // As Prometheus does with scrape_timeout: the default timeout never exceeds the interval.
        #expect(config.probes[3].interval == 1)
        #expect(config.probes[3].timeout == 1)
    }

    @Test func anEmptyFileHasNoProbes() throws {
        for text in ["", "\n", "# watchbill config\n# nothing yet\n", "probes:\n", "probes: []\n", "---\n"] {
            #expect(try ConfigFile.parse(text, file: "c.yaml", environment: [:]) == WatchbillConfiguration(), "\(text)")
        }
        #expect(WatchbillConfiguration() == WatchbillConfiguration(probes: [], slo: .sla, sharedLatencyAxis: false))
    }

    @Test func aProbesSLOStartsFromTheFilesEvenWhenTheFileSetsItLater() throws {
        let config = try ConfigFile.parse("""
            probes:
              - name: checkout
                http: {url: "https://shop.example.com/checkout"}
                slo: {availability: 99.99%, min_probes: 3}
              - name: search
                http: {url: "https://shop.example.com/search"}
            slo:
              availability: 99%
              window: 14d
            """, file: "c.yaml", environment: [:])
        let file = SLOTargets(availability: 0.99, latencyThreshold: 0.5, latencyTarget: 0.95, errorRate: 0.001,
                              window: 14 * 86_400, minProbes: 10)
        #expect(config.slo == file)
        #expect(config.probes[0].slo == SLOTargets(availability: 0.9999, latencyThreshold: 0.5, latencyTarget: 0.95,
                                                   errorRate: 0.001, window: 14 * 86_400, minProbes: 3))
        #expect(config.probes[1].slo == file)
    }

    @Test func headerValuesExpandFromTheEnvironmentAndNeverPrint() throws {
        let secret = "hunter2-very-secret"
        let config = try ConfigFile.parse("""
            probes:
              - name: api
                http:
                  url: https://api.example.com/
                  headers:
                    Authorization: "Bearer ${API_TOKEN}"
                    X-Both: "${USER_NAME}:${API_TOKEN}"
                    X-Literal: "$${API_TOKEN} costs $$5"
                    X-Empty: "${EMPTY}"
            """, file: "c.yaml", environment: ["API_TOKEN": secret, "USER_NAME": "ops", "EMPTY": ""])
        let spec = config.probes[0]
        guard case .http(let http) = spec.kind else { Issue.record("not http"); return }
        #expect(http.headers.map(\.value.revealed) == ["Bearer \(secret)", "ops:\(secret)", "${API_TOKEN} costs $5", ""])
        for text in [String(describing: spec), "\(spec)", String(reflecting: spec), String(describing: config),
                     "\(config)", String(describing: http), spec.target] {
            #expect(!text.contains(secret), "\(text)")
            #expect(!text.contains("hunter2"))
        }
        #expect("\(spec)".contains("<redacted>"))
    }

    // MARK: Errors, each at the node at fault

    @Test func notYAMLPointsAtLibyamlsMark() {
        let error = parseError("slo:\n  window: 5s\n  bad: value: x\n")
        #expect(error?.line == 3)
        #expect(error?.column == 13)
        #expect(error?.cause.hasPrefix("not YAML: mapping values are not allowed in this context") == true, "\(String(describing: error))")
        expectError("probes:\n  - name: \"api\n", line: 3, column: 1,
                    cause: "not YAML: found unexpected end of stream (while scanning a quoted scalar from line 2)")
        expectError("slo: {}\n---\nslo: {}\n", line: 2, column: 1,
                    cause: "not YAML: a second document ('---'); the config is one document")
        expectError("slo:\n  window: 5s\n  window: 6s\n", line: 2, column: 3,
                    cause: "not YAML: key 'window' appears more than once in one mapping")
    }

    @Test func aYAMLErrorNeverQuotesTheLine() {
        let error = parseError("""
            probes:
              - name: api
                http:
                  url: http://a
                  headers: {Authorization: "Bearer hunter2}
            """)
        #expect(error?.line == 5, "the end of the text, where the quote was still open")
        #expect(error?.cause.hasPrefix("not YAML: ") == true)
        #expect(error.map { !$0.cause.contains("hunter2") && !$0.description.contains("hunter2") } == true, "\(String(describing: error))")
    }

    @Test func unknownSectionsAndKeysPointAtTheKey() {
        expectError("probes: []\nalerts: {}\n", line: 2, column: 1,
                    cause: "unknown section 'alerts' in the config file (allowed: probes, slo, latency, layouts, wall, notify, incidents, fleet, severities, target_labels)")
        expectError("""
            probes:
              - name: api
                http: {url: "http://a"}
                intervall: 5s
            """, line: 4, column: 5,
                    cause: "unknown key 'intervall' in probe 'api' (allowed: name, http, tcp, dns, interval, timeout, labels, slo)")
        expectError("""
            probes:
              - name: api
                http: {url: "http://a", verb: GET}
            """, line: 3, column: 29,
                    cause: "unknown key 'verb' in http (allowed: url, method, expect_status, body_contains, headers, follow_redirects, tls_verify, ca_file, reuse_connection, max_body)")
        expectError("""
            probes:
              - name: db
                tcp:
                  address: "db:5432"
                  port: 5432
            """, line: 5, column: 7, cause: "unknown key 'port' in tcp (allowed: address, tls, tls_verify, ca_file)")
        expectError("""
            probes:
              - name: ns
                dns: {name: example.com, type: AAAA}
            """, line: 3, column: 30, cause: "unknown key 'type' in dns (allowed: name)")
        expectError("slo:\n  availabilty: 99%\n", line: 2, column: 3,
                    cause: "unknown key 'availabilty' in slo (allowed: availability, latency_threshold, latency_target, error_rate, window, min_probes)")
        expectError("""
            probes:
              - name: ns
                dns: {name: example.com}
                slo: {threshold: 1s}
            """, line: 4, column: 11,
                    cause: "unknown key 'threshold' in the slo of probe 'ns' (allowed: availability, latency_threshold, latency_target, error_rate, window, min_probes)")
        expectError("latency:\n  shared: true\n", line: 2, column: 3, cause: "unknown key 'shared' in latency (allowed: shared_axis)")
    }

    @Test func probeNamesAreRequiredAndUnique() {
        expectError("probes:\n  - http: {url: \"http://a\"}\n", line: 2, column: 5, cause: "probe #1 has no name")
        expectError("probes:\n  - name: \"\"\n    dns: {name: a.com}\n", line: 2, column: 11, cause: "probe #1 has an empty name")
        expectError("""
            probes:
              - name: api
                dns: {name: a.com}
              - name: web
                dns: {name: b.com}
              - name: api
                dns: {name: c.com}
            """, line: 6, column: 11, cause: "duplicate probe name 'api' (first on line 2)")
    }

    @Test func aProbeHasExactlyOneKind() {
        expectError("probes:\n  - name: api\n    interval: 5s\n", line: 2, column: 5, cause: "probe 'api' needs one of http, tcp, dns")
        expectError("""
            probes:
              - name: api
                dns: {name: a.com}
                tcp: {address: "a.com:80"}
            """, line: 4, column: 5, cause: "probe 'api' has both dns and tcp; give exactly one of http, tcp, dns")
        expectError("probes:\n  - name: api\n    http: {method: GET}\n", line: 3, column: 5, cause: "http needs a url")
        expectError("probes:\n  - name: db\n    tcp:\n", line: 3, column: 5, cause: "tcp needs an address (host:port)")
    }

    @Test func badValuesPointAtTheValue() {
        expectError("probes:\n  - name: api\n    http: {url: \"ftp://a\"}\n", line: 3, column: 17,
                    cause: "bad url: the URL must start with http:// or https://")
        expectError("probes:\n  - name: api\n    http: {url: \"https:///x\"}\n", line: 3, column: 17,
                    cause: "bad url: the URL has no host")
        expectError("probes:\n  - name: api\n    dns: {name: a.com}\n    interval: 5 sec\n", line: 4, column: 15,
                    cause: "bad duration '5 sec' for interval: use 500ms, 5s, 2m, 1h, 30d, 1w, 1h30m or a number of seconds")
        expectError("probes:\n  - name: api\n    dns: {name: a.com}\n    timeout: 0s\n", line: 4, column: 14,
                    cause: "timeout must be longer than 0")
        expectError("slo:\n  window: -3d\n", line: 2, column: 11,
                    cause: "bad duration '-3d' for window: use 500ms, 5s, 2m, 1h, 30d, 1w, 1h30m or a number of seconds")
        expectError("slo:\n  availability: 99.9\n", line: 2, column: 17,
                    cause: "bad percentage '99.9' for availability: use a percentage such as 99.9% or a fraction between 0 and 1")
        expectError("slo:\n  error_rate: 100%\n", line: 2, column: 15,
                    cause: "bad percentage '100%' for error_rate: use a percentage such as 99.9% or a fraction between 0 and 1")
        expectError("slo:\n  min_probes: ten\n", line: 2, column: 15, cause: "bad min_probes 'ten': a whole number, such as 10")
        expectError("""
            probes:
              - name: api
                http:
                  url: http://a
                  expect_status: [200, 600]
            """, line: 5, column: 28,
                    cause: "bad status '600' in expect_status: a code (200), a range (200-299) or a class (2xx), from 100 to 599")
        expectError("""
            probes:
              - name: api
                http:
                  url: http://a
                  expect_status: 299-200
            """, line: 5, column: 22,
                    cause: "bad status '299-200' in expect_status: a code (200), a range (200-299) or a class (2xx), from 100 to 599")
        expectError("probes:\n  - name: api\n    http: {url: \"http://a\", method: get}\n", line: 3, column: 37,
                    cause: "bad method 'get': uppercase letters only, such as GET or HEAD")
        expectError("probes:\n  - name: api\n    http: {url: \"http://a\", max_body: 1GB}\n", line: 3, column: 39,
                    cause: "bad max_body '1GB': a number of bytes, such as 65536, 512B, 256KiB or 1MiB")
        expectError("probes:\n  - name: api\n    http: {url: \"http://a\", follow_redirects: maybe}\n", line: 3, column: 47,
                    cause: "follow_redirects must be true or false")
    }

    @Test func badAddressesPointAtTheAddress() {
        expectError("probes:\n  - name: db\n    tcp: {address: \"db.internal\"}\n", line: 3, column: 20,
                    cause: "bad address 'db.internal': expected host:port, such as db.internal:5432")
        expectError("probes:\n  - name: db\n    tcp: {address: \"db.internal:70000\"}\n", line: 3, column: 20,
                    cause: "bad address 'db.internal:70000': the port must be a number from 1 to 65535")
        expectError("probes:\n  - name: db\n    tcp: {address: \"::1:5432\"}\n", line: 3, column: 20,
                    cause: "bad address '::1:5432': an IPv6 address goes in brackets, such as [::1]:443")
        expectError("probes:\n  - name: db\n    tcp: {address: \"db:5432\", tls_verify: false}\n", line: 3, column: 31,
                    cause: "tls_verify applies only with tls: true")
        expectError("probes:\n  - name: ns\n    dns: {name: \"exa mple.com\"}\n", line: 3, column: 17,
                    cause: "bad name 'exa mple.com': only letters, digits, '-', '_' and '.' may appear in a host name")
    }

    @Test func theTimeoutMayNotExceedTheInterval() {
        expectError("""
            probes:
              - name: api
                dns: {name: a.com}
                interval: 2s
                timeout: 3s
            """, line: 5, column: 14, cause: "timeout 3s is longer than interval 2s")
        expectError("""
            probes:
              - name: api
                timeout: 10s
                dns: {name: a.com}
            """, line: 3, column: 14, cause: "timeout 10s is longer than the interval (5s by default)")
    }

    @Test func anUnsetVariableIsNamedButNoValueIsShown() {
        let yaml = """
            probes:
              - name: api
                http:
                  url: http://a
                  headers:
                    Authorization: "Bearer hunter2 ${API_TOKEN}"
            """
        expectError(yaml, environment: ["API_TOKN": "x"], line: 6, column: 24,
                    cause: "header 'Authorization': environment variable 'API_TOKEN' is not set")
        let malformed = parseError("""
            probes:
              - name: api
                http:
                  url: http://a
                  headers: {X-Key: "hunter2${oops"}
            """)
        #expect(malformed == SourceError(file: "c.yaml", line: 5, column: 24,
                                         cause: "header 'X-Key': '${' must be followed by a variable name and '}' (write $$ for a literal $)"))
        let newline = parseError("probes:\n  - name: api\n    http:\n      url: http://a\n      headers: {X-Key: \"${K}\"}\n",
                                 environment: ["K": "hunter2\r\nX-Evil: 1"])
        #expect(newline == SourceError(file: "c.yaml", line: 5, column: 24, cause: "header 'X-Key': the value contains a line break"))
        for error in [parseError(yaml), malformed, newline] {
            #expect(error.map { !$0.description.contains("hunter2") } == true)
        }
    }

    @Test func wrongYAMLTypesSayWhatWasExpected() {
        expectError("- probes\n", line: 1, column: 1,
                    cause: "the config file must be a mapping (key: value lines), found a list")
        expectError("probes: {api: 1}\n", line: 1, column: 9,
                    cause: "'probes' must be a list ('- name: ...' items), found a mapping")
        expectError("probes:\n  - api\n", line: 2, column: 5,
                    cause: "probe #1 must be a mapping with a name and one of http, tcp, dns; found a single value")
        expectError("probes:\n  - name: api\n    http: [url]\n", line: 3, column: 11,
                    cause: "http must be a mapping (key: value lines), found a list")
        expectError("probes:\n  - name: api\n    dns: {name: a.com}\n    labels: [payments]\n", line: 4, column: 13,
                    cause: "labels must be a mapping (key: value lines), found a list")
        expectError("probes:\n  - name: [a, b]\n    dns: {name: a.com}\n", line: 2, column: 11,
                    cause: "name must be a single value, found a list")
        expectError("slo: 99.9%\n", line: 1, column: 6, cause: "slo must be a mapping (key: value lines), found a single value")
        expectError("latency: {shared_axis: [true]}\n", line: 1, column: 24, cause: "shared_axis must be true or false, found a list")
        expectError("probes:\n  - name: api\n    http:\n      url: http://a\n      headers: {Authorization: [hunter2]}\n",
                    line: 5, column: 32, cause: "header 'Authorization' must have a single value, found a list")
    }
}

@Suite struct DefaultPathTests {
    @Test func xdgConfigHomeWinsOverHome() {
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/srv/cfg", "HOME": "/home/ops"])
                == "/srv/cfg/watchbill/config.yaml")
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/srv/cfg/", "HOME": "/home/ops"])
                == "/srv/cfg/watchbill/config.yaml")
    }

    @Test func withoutXDGConfigHomeItIsUnderHome() {
        #expect(ConfigFile.defaultPath(environment: ["HOME": "/home/ops"]) == "/home/ops/.config/watchbill/config.yaml")
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/home/ops"])
                == "/home/ops/.config/watchbill/config.yaml")
        // The XDG spec: a relative path in XDG_CONFIG_HOME is invalid and ignored.
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "cfg", "HOME": "/home/ops"])
                == "/home/ops/.config/watchbill/config.yaml")
    }
}

@Suite struct LayoutConfigTests {
    func parse(_ text: String) throws -> WatchbillConfiguration {
        try ConfigFile.parse(text, file: "c.yaml", environment: [:])
    }

    @Test func layoutsAndWallCycle() throws {
        let c = try parse("""
            layouts:
              oncall: {panes: [latency, slo, cpu]}
              tiny: {compact: true}
              default: {panes: [cpu, memory]}
            wall:
              cycle: [oncall, triage]
              every: 45s
            """)
        #expect(c.layouts == [LayoutSpec(name: "oncall", panes: ["latency", "slo", "cpu"]),
                              LayoutSpec(name: "tiny", panes: [], compact: true),
                              LayoutSpec(name: "default", panes: ["cpu", "memory"])])
        #expect(c.wallCycle == ["oncall", "triage"])
        #expect(c.wallEvery == 45)
        // A user layout replaces the built-in of the same name; the others stay.
        let all = LayoutSpec.all(c.layouts)
        #expect(all.map(\.name) == ["triage", "compact", "oncall", "tiny", "default"])
        #expect(all.first { $0.name == "default" }?.panes == ["cpu", "memory"])
    }

    @Test func layoutErrorsNameLineAndColumn() {
        #expect(throws: SourceError(file: "c.yaml", line: 2, column: 29,
                                    cause: "unknown pane 'gpu' (panes: cpu, memory, disk, network, latency, slo, processes)")) {
            try parse("layouts:\n  oncall: {panes: [latency, gpu]}\n")
        }
        #expect(throws: SourceError(file: "c.yaml", line: 2, column: 3,
                                    cause: "layout 'empty' shows no pane: list some under panes, or set compact: true")) {
            try parse("layouts:\n  empty: {panes: [processes]}\n")
        }
        #expect(throws: SourceError(file: "c.yaml", line: 2, column: 20,
                                    cause: "wall cycle names layout 'nope', which is not defined (layouts: default, triage, compact)")) {
            try parse("wall:\n  cycle: [default, nope]\n")
        }
    }
}

/// The `fleet` section: what a wall display or a team's box watches without flags.
@Suite struct FleetSectionTests {
    @Test func everyKey() throws {
        let c = try ConfigFile.parse("""
            fleet:
              nodes: [web-01:9100, "https://db-01:9443/metrics"]
              prometheus: http://prometheus:9090
              alertmanager: http://alertmanager:9093
              job: node-prod
              every: 15s
              ca_file: /etc/ssl/team-ca.pem
              token_file: /run/secrets/node-token
              basic_auth_file: /run/secrets/node-auth
            """, file: "c.yaml", environment: [:])
        #expect(c.fleet.caFile == "/etc/ssl/team-ca.pem" && c.fleet.tokenFile == "/run/secrets/node-token"
                && c.fleet.basicAuthFile == "/run/secrets/node-auth")
        #expect(c.fleet.nodes == ["web-01:9100", "https://db-01:9443/metrics"])
        #expect(c.fleet.prometheus == "http://prometheus:9090" && c.fleet.alertmanager == "http://alertmanager:9093")
        #expect(c.fleet.job == "node-prod" && c.fleet.every == 15)
        #expect(try ConfigFile.parse("probes: []\n", file: "c.yaml", environment: [:]).fleet == FleetSettings())
    }

    @Test func mistakesNameTheirLine() {
        func error(_ yaml: String) -> String {
            do { _ = try ConfigFile.parse(yaml, file: "c.yaml", environment: [:]); return "parsed" } catch { return "\(error)" }
        }
        #expect(error("fleet:\n  nodes: web-01:9100\n").hasPrefix("c.yaml:2:"))
        #expect(error("fleet:\n  nodes: [ok:1, \"web 02\"]\n").contains("'web 02' is not host:port or a URL"))
        #expect(error("fleet:\n  scrape: 5s\n").hasPrefix("c.yaml:2:"))
        #expect(error("fleet:\n  every: -5s\n").hasPrefix("c.yaml:2:"))
        // A secret in the file is refused, and not repeated in the error.
        #expect(error("fleet:\n  basic_auth: ops:hunter2\n")
                == "c.yaml:2:3: basic_auth does not belong in the config file: put it in a file and name it with basic_auth_file")
        #expect(error("fleet:\n  ca_file: ''\n") == "c.yaml:2:12: ca_file is an empty path")
    }

    /// `latency:` histograms: names, matchers, labels and windows checked at load; the
    /// threshold from the item, else the file's slo section, else the SLA's 500 ms.
    @Test func latencyHistograms() throws {
        let c = try ConfigFile.parse("""
            slo:
              latency_threshold: 300ms
            fleet:
              prometheus: prometheus:9090
              latency:
                - name: api
                  histogram: http_request_duration_seconds_bucket
                  match: '{job="api", code!~"5.."}'
                  by: [instance, handler]
                  window: 2m
                  latency_threshold: 250ms
                - name: checkout
                  histogram: checkout_seconds
                  by: route
            """, file: "c.yaml", environment: [:])
        #expect(c.fleet.latency == [
            LatencyHistogramSpec(name: "api", histogram: "http_request_duration_seconds", match: #"job="api", code!~"5..""#,
                                 by: ["instance", "handler"], window: 120, threshold: 0.25),
            LatencyHistogramSpec(name: "checkout", histogram: "checkout_seconds", by: ["route"], window: 300, threshold: 0.3),
        ])
        let plain = try ConfigFile.parse("fleet:\n  latency:\n    - {name: a, histogram: b}\n", file: "c.yaml", environment: [:])
        #expect(plain.fleet.latency.first?.threshold == 0.5)
    }

    @Test func latencyMistakesNameTheirLine() {
        func error(_ item: String) -> String {
            do { _ = try ConfigFile.parse("fleet:\n  latency:\n" + item, file: "c.yaml", environment: [:]); return "parsed" }
            catch { return "\(error)" }
        }
        #expect(error("    - name: a\n      histogram: 9lives\n")
                == "c.yaml:4:18: '9lives' is not a metric name (letters, digits, _ and :, not starting with a digit)")
        #expect(error("    - name: a\n      histogram: h\n      match: 'job=\"api'\n").hasPrefix("c.yaml:5:14: match: "))
        #expect(error("    - name: a\n      histogram: h\n      by: [le]\n") == "c.yaml:5:11: by: le is the buckets' label, not a way to split")
        #expect(error("    - name: a\n      histogram: h\n      by: [\"a-b\"]\n") == "c.yaml:5:11: by: 'a-b' is not a label name")
        #expect(error("    - name: a\n      histogram: h\n      window: 1.5s\n") == "c.yaml:5:15: window must be whole seconds, like 5m")
        #expect(error("    - name: a\n") == "c.yaml:3:7: latency 'a' needs a histogram: the metric's name, like http_request_duration_seconds")
        #expect(error("    - histogram: h\n") == "c.yaml:3:7: latency #1 needs a name (the row's title)")
        #expect(error("    - {name: a, histogram: h}\n    - {name: a, histogram: g}\n") == "c.yaml:4:7: latency 'a' is named twice")
        #expect(error("    - {name: a, histogram: h, quantiles: [0.9]}\n").hasPrefix("c.yaml:3:31: unknown key 'quantiles' in latency #1"))
        #expect(error("    name: a\n").hasPrefix("c.yaml:3:5: latency must be a list"))
        #expect(error("    - name: a\n      histogram: h\n      match: 'job=\"a\"} or m{x=\"y\"'\n")
                .hasPrefix("c.yaml:5:14: match: label matchers only, not an expression"))
    }
}

/// Durations no probe or window can have are refused with their line, before anything runs.
@Suite struct DurationLimitsTests {
    @Test func probeIntervalsTimeoutsAndWindowsInRange() {
        let probe = "probes:\n  - name: api\n    http: {url: \"http://127.0.0.1:9/\"}\n"
        #expect(parseError(probe + "    interval: 0.00000000000000000001\n")?.cause == "a probe's interval is 50ms to 1d, not 0.00000000000000000001")
        #expect(parseError(probe + "    timeout: 2h\n")?.cause == "a probe's timeout is at most 1h, not 2h")
        #expect(parseError(probe + "    timeout: 9999999999999999d\n")?.cause == "timeout 9999999999999999d is out of range")
        #expect(parseError(probe + "    interval: 5s\n    timeout: 3s\n") == nil)
        let fleet = "fleet:\n  latency:\n    - {name: api, histogram: h, window: "
        #expect(parseError(fleet + "400d}\n")?.cause == "window is at most a year, not 400d")
    }
}

/// The labels rules see on this host's series, as the team's Prometheus names its targets.
@Suite struct TargetLabelsTests {
    @Test func theConfigNamesTheJobAndInstance() throws {
        #expect(try ConfigFile.parse("probes: []\n", file: "c.yaml", environment: [:]).targetLabels == nil)
        let c = try ConfigFile.parse("target_labels:\n  job: node-exporter\n  instance: web-01:9100\n", file: "c.yaml", environment: [:])
        #expect(c.targetLabels == ["job": "node-exporter", "instance": "web-01:9100"])
        #expect(parseError("target_labels:\n  2x: a\n") == SourceError(file: "c.yaml", line: 2, column: 3, cause: "target_labels: '2x' is not a label name Prometheus allows"))
    }
}

/// A team's own severity words, mapped to P0 to P3 in the config.
@Suite(.serialized) struct SeverityWordsTests {
    @Test func theConfigMapsATeamsWords() throws {
        let c = try ConfigFile.parse("severities:\n  Sev1: P0\n  blocker: p0\n", file: "c.yaml", environment: [:])
        #expect(c.severityWords == ["sev1": .p0, "blocker": .p0])
        #expect(parseError("severities:\n  sev1: urgent\n") == SourceError(file: "c.yaml", line: 2, column: 9, cause: "severity 'sev1' must map to P0, P1, P2 or P3"))
        // Once read, the words count everywhere, beside the common ones. (Words no other
        // test uses: the map is the process's.)
        Severity.teamWords.withLock { $0 = c.severityWords }
        defer { Severity.teamWords.withLock { $0 = [:] } }
        #expect(Severity(teamLabel: "SEV1") == .p0 && Severity(teamLabel: "blocker") == .p0 && Severity(teamLabel: "warning") == .p2)
        #expect(Severity(teamLabel: "sev2") == nil)
    }
}
