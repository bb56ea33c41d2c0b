#if canImport(Glibc)
import Glibc
#endif
import Testing
import WatchbillConfig
import WatchbillCore
import WatchbillFleet
import WatchbillRuntime

/// The fleet's credentials and hosts: flags, then the environment, then the config file.
@Suite struct FleetAccessTests {
    static let files: [String: String] = ["/t": "s3cret\nignored second line\n", "/b": "ops:pw\n", "/empty": "\n", "/bad": "nocolon"]
    static func read(_ path: String) -> Result<[UInt8], FleetAccess.Problem> {
        files[path].map { .success(Array($0.utf8)) } ?? .failure(FleetAccess.Problem("No such file or directory"))
    }

    func header(token: String? = nil, basic: String? = nil, env: [String: String] = [:], config: FleetSettings = FleetSettings())
        throws -> String? {
        let h = try FleetAccess.headers(.init(tokenFile: token, basicAuthFile: basic, settings: config, read: Self.read,
                                              environment: { env[$0] }))
        #expect(h.count <= 1 && h.allSatisfy { $0.name == "Authorization" })
        return h.first?.value.revealed
    }

    @Test func theNearerSourceWins() throws {
        var config = FleetSettings()
        config.basicAuthFile = "/b"
        let env = ["WATCHBILL_NODE_TOKEN": "from-env"]
        #expect(try header(token: "/t", env: env, config: config) == "Bearer s3cret", "a flag before the environment")
        #expect(try header(env: env, config: config) == "Bearer from-env", "the environment before the config")
        #expect(try header(config: config) == "Basic " + Base64.encode(Array("ops:pw".utf8)))
        #expect(try header(env: ["WATCHBILL_NODE_TOKEN": ""]) == nil, "empty is unset")
        #expect(try header(env: ["WATCHBILL_NODE_BASIC_AUTH": "a:b"]) == "Basic " + Base64.encode(Array("a:b".utf8)))
        #expect(try header() == nil)
    }

    @Test func unreadableEmptyAndMalformedSayWhich() {
        #expect(throws: FleetAccess.Problem("--node-token-file /missing: cannot read: No such file or directory")) {
            try header(token: "/missing")
        }
        #expect(throws: FleetAccess.Problem("--node-token-file /empty is empty")) { try header(token: "/empty") }
        var config = FleetSettings()
        config.tokenFile = "/gone"
        #expect(throws: FleetAccess.Problem("config fleet: token_file /gone: cannot read: No such file or directory")) {
            try header(config: config)
        }
        #expect(throws: FleetAccess.Problem("basic auth for the fleet must be user:password")) { try header(basic: "/bad") }
    }

    @Test func targetsInOrderOnceEach() throws {
        let targets = try FleetAccess.targets(configured: ["web-01:9100"], flags: ["web-02:9100", "web-01:9100"], nodesFile: nil,
                                              read: Self.read)
        #expect(targets.map(\.instance) == ["web-01:9100", "web-02:9100"])
        #expect(throws: FleetAccess.Problem("--node not a host: use host:port, host or an http(s) URL")) {
            try FleetAccess.targets(configured: [], flags: ["not a host"], nodesFile: nil, read: Self.read)
        }
        #expect(throws: FleetAccess.Problem("--nodes-file /nope: cannot read: No such file or directory")) {
            try FleetAccess.targets(configured: [], flags: [], nodesFile: "/nope", read: Self.read)
        }
    }
}

/// What the environment gives: an empty variable is unset, a missing file says why.
struct ProcessEnvironmentTests {
    @Test func emptyIsUnsetAndAMissingFileSaysWhy() {
        setenv("WATCHBILL_TEST_EMPTY_VAR", "", 1)
        setenv("WATCHBILL_TEST_SET_VAR", "x", 1)
        #expect(ProcessEnvironment.value("WATCHBILL_TEST_EMPTY_VAR") == nil && ProcessEnvironment.value("WATCHBILL_TEST_SET_VAR") == "x")
        guard case .failure(let problem) = ProcessEnvironment.read("/nonexistent/watchbill-token") else {
            Issue.record("a missing file was read")
            return
        }
        #expect("\(problem)".contains("No such file"))
    }
}
