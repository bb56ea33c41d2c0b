import Testing
import WatchbillCore
@testable import WatchbillConfig

@Suite struct ProbeArgumentTests {
    static let slo = SLOTargets(availability: 0.99, latencyThreshold: 0.25, latencyTarget: 0.9, errorRate: 0.01,
                                window: 86_400, minProbes: 5)

    @Test func anHTTPURLIsAnHTTPProbeWithDefaults() throws {
        let spec = try ProbeArgument.parse("https://api.example.com/health/", slo: Self.slo)
        #expect(spec == ProbeSpec(name: "https://api.example.com/health",
                                  kind: .http(HTTPCheck(url: "https://api.example.com/health/")),
                                  interval: 5, timeout: 2, labels: [:], slo: Self.slo))
        let plain = try ProbeArgument.parse("http://localhost:8080", slo: .sla)
        #expect(plain.name == "http://localhost:8080")
        #expect(plain.kind == .http(HTTPCheck(url: "http://localhost:8080", method: "GET", expectedStatus: [200...399])))
        #expect(plain.slo == .sla)
    }

    @Test func aPasswordInTheURLStaysOutOfTheName() throws {
        let spec = try ProbeArgument.parse("https://ops:hunter2@api.example.com/", slo: .sla)
        #expect(spec.name == "https://ops:***@api.example.com")
        #expect(spec.kind == .http(HTTPCheck(url: "https://ops:hunter2@api.example.com/")))
    }

    @Test func tcpAndTLSAddresses() throws {
        #expect(try ProbeArgument.parse("tcp://db.internal:5432", slo: Self.slo)
                == ProbeSpec(name: "tcp://db.internal:5432", kind: .tcp(TCPCheck(address: "db.internal:5432", tls: false)),
                             slo: Self.slo))
        #expect(try ProbeArgument.parse("tls://mail.example.com:465/", slo: .sla)
                == ProbeSpec(name: "tls://mail.example.com:465", kind: .tcp(TCPCheck(address: "mail.example.com:465", tls: true))))
        #expect(try ProbeArgument.parse("tcp://[2001:db8::1]:22", slo: .sla).kind
                == .tcp(TCPCheck(address: "[2001:db8::1]:22")))
    }

    @Test func aDNSName() throws {
        #expect(try ProbeArgument.parse("dns:example.com", slo: Self.slo)
                == ProbeSpec(name: "dns:example.com", kind: .dns(DNSCheck(name: "example.com")), slo: Self.slo))
    }

    @Test func anythingElseIsAnError() {
        let usage = "is not a probe: use http://..., https://..., tcp://host:port, tls://host:port or dns:name"
        #expect(throws: SourceError(file: "--probe", line: 1, column: nil, cause: "'ftp://files.example.com/' \(usage)")) {
            try ProbeArgument.parse("ftp://files.example.com/", slo: .sla)
        }
        #expect(throws: SourceError(file: "--probe", line: 1, column: nil, cause: "'example.com' \(usage)")) {
            try ProbeArgument.parse("example.com", slo: .sla)
        }
        #expect(throws: SourceError(file: "--probe", line: 1, column: nil,
                                    cause: "'tcp://db.internal': expected host:port, such as db.internal:5432")) {
            try ProbeArgument.parse("tcp://db.internal", slo: .sla)
        }
        #expect(throws: SourceError(file: "--probe", line: 1, column: nil,
                                    cause: "'tls://db:0': the port must be a number from 1 to 65535")) {
            try ProbeArgument.parse("tls://db:0", slo: .sla)
        }
        #expect(throws: SourceError(file: "--probe", line: 1, column: nil, cause: "'dns:': the name is empty")) {
            try ProbeArgument.parse("dns:", slo: .sla)
        }
        #expect(throws: SourceError(file: "--probe", line: 1, column: nil, cause: "'https://': the URL has no host")) {
            try ProbeArgument.parse("https://", slo: .sla)
        }
        #expect(throws: SourceError(file: "--probe", line: 1, column: nil,
                                    cause: "'ftp://ops:***@x' \(usage)")) {
            try ProbeArgument.parse("ftp://ops:hunter2@x", slo: .sla)
        }
    }
}

@Suite struct ValuesTests {
    @Test func durations() {
        #expect(Values.duration("500ms") == 0.5)
        #expect(Values.duration("5s") == 5)
        #expect(Values.duration("2m") == 120)
        #expect(Values.duration("1h") == 3600)
        #expect(Values.duration("30d") == 2_592_000)
        #expect(Values.duration("1.5s") == 1.5)
        #expect(Values.duration("7") == 7)
        #expect(Values.duration("0.25") == 0.25)
        #expect(Values.duration("0s") == 0)
        // Prometheus' own forms too: weeks, years, compound (a rule's `for: 1w`).
        #expect(Values.duration("1w") == 604_800 && Values.duration("1y") == 31_536_000 && Values.duration("1h30m") == 5400)
        for bad in ["", "s", "5 s", "-1s", "1e3", "5sec", "5.", "+5s", "inf", "1..5s", "5mss", "1h30", "w"] {
            #expect(Values.duration(bad) == nil, "\(bad)")
        }
    }

    @Test func fractions() {
        #expect(Values.fraction("99.9%") == 0.999)
        #expect(Values.fraction("95%") == 0.95)
        #expect(Values.fraction("0.1%") == 0.001)
        #expect(Values.fraction("0.999") == 0.999)
        for bad in ["100%", "0%", "1", "0", "99.9", "-5%", "abc", "%", "99.9 %"] {
            #expect(Values.fraction(bad) == nil, "\(bad)")
        }
    }

    @Test func statusRanges() {
        #expect(Values.statusRange("200") == 200...200)
        #expect(Values.statusRange("200-299") == 200...299)
        #expect(Values.statusRange("2xx") == 200...299)
        #expect(Values.statusRange("5xx") == 500...599)
        for bad in ["6xx", "0xx", "99", "600", "299-200", "200-", "-200", "2XX", "200-300-400", "abc"] {
            #expect(Values.statusRange(bad) == nil, "\(bad)")
        }
    }

    @Test func byteCounts() {
        #expect(Values.byteCount("65536") == 65_536)
        #expect(Values.byteCount("512B") == 512)
        #expect(Values.byteCount("256KiB") == 262_144)
        #expect(Values.byteCount("2MiB") == 2_097_152)
        for bad in ["0", "1GB", "1KB", "KiB", "-5", "1.5MiB", "99999999999999999999MiB"] {
            #expect(Values.byteCount(bad) == nil, "\(bad)")
        }
    }

    @Test func addresses() {
        for good in ["db:5432", "10.0.0.1:1", "[::1]:443", "[fe80::1%eth0]:22", "example.com:65535"] {
            #expect(Values.addressProblem(good) == nil, "\(good)")
        }
        #expect(Values.addressProblem(":80") == "no host before ':'")
        #expect(Values.addressProblem("db:") == "the port must be a number from 1 to 65535")
        #expect(Values.addressProblem("db:http") == "the port must be a number from 1 to 65535")
        #expect(Values.addressProblem("[::1]") == "expected host:port, such as [::1]:443")
        #expect(Values.addressProblem("[::1:443") == "no ']' after the IPv6 address")
        #expect(Values.addressProblem("[db]:443") == "'db' is not an IPv6 address")
        #expect(Values.addressProblem("db/x:80") == "only letters, digits, '-', '_' and '.' may appear in a host name")
    }

    @Test func expansion() throws {
        let env = ["A": "1", "B_2": "two"]
        #expect(try Values.expand("x${A}y${B_2}", environment: env) == "x1ytwo")
        #expect(try Values.expand("$$ $A $", environment: env) == "$ $A $")
        #expect(try Values.expand("$${A}", environment: env) == "${A}")
        #expect(throws: Values.ExpansionError.unset("C")) { try Values.expand("${C}", environment: env) }
        #expect(throws: Values.ExpansionError.malformed) { try Values.expand("${A", environment: env) }
        #expect(throws: Values.ExpansionError.malformed) { try Values.expand("${}", environment: env) }
        #expect(throws: Values.ExpansionError.malformed) { try Values.expand("${1A}", environment: env) }
    }
}

/// `--record-max-size`'s values: units K, M, G (any case), above zero, no overflow.
struct ByteSizeTests {
    @Test func unitsAndLimits() {
        #expect(Values.byteSize("512K") == 512 << 10 && Values.byteSize("100m") == 100 << 20)
        #expect(Values.byteSize("2G") == 2 << 30 && Values.byteSize("4096") == 4096)
        #expect(Values.byteSize("0") == nil && Values.byteSize("-1M") == nil && Values.byteSize("M") == nil)
        #expect(Values.byteSize("9999999999999G") == nil && Values.byteSize("1T") == nil)
    }
}
