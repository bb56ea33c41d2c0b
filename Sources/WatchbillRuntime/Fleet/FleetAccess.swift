import WatchbillConfig
import WatchbillCore
import WatchbillFleet

/// Where the fleet's hosts and credentials come from, nearest to this run first: the
/// flags, then the environment, then the config file. Secrets come from a file or the
/// environment, never the command line (`ps` shows it), and become `Secret`s at once.
public enum FleetAccess {
    /// Why a source could not be used, in the words of its flag or config key.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// What the command line said, and how to read a file and the environment.
    public struct Sources {
        public var tokenFile: String?
        public var basicAuthFile: String?
        public var settings: FleetSettings
        /// A file's bytes, or why it cannot be read (`No such file or directory`).
        public var read: (String) -> Result<[UInt8], Problem>
        /// A variable's value; empty counts as unset.
        public var environment: (String) -> String?

        public init(tokenFile: String?, basicAuthFile: String?, settings: FleetSettings,
                    read: @escaping (String) -> Result<[UInt8], Problem>, environment: @escaping (String) -> String?) {
            self.tokenFile = tokenFile
            self.basicAuthFile = basicAuthFile
            self.settings = settings
            self.read = read
            self.environment = environment
        }
    }

    /// The node_exporters' `Authorization` header: a bearer token or basic auth's
    /// `user:password`, from `--node-token-file` or `--node-basic-auth-file`, then
    /// `WATCHBILL_NODE_TOKEN` or `WATCHBILL_NODE_BASIC_AUTH`, then the config's `token_file`
    /// or `basic_auth_file`; none at all is no header.
    public static func headers(_ s: Sources) throws(Problem) -> [Header] {
        func file(_ path: String, _ option: String) throws(Problem) -> String {
            let bytes: [UInt8]
            switch s.read(path) {
            case .success(let b): bytes = b
            case .failure(let why): throw Problem("\(option) \(path): cannot read: \(why)")
            }
            let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !text.isEmpty else { throw Problem("\(option) \(path) is empty") }
            return text
        }
        func env(_ name: String) -> String? { s.environment(name).flatMap { $0.isEmpty ? nil : $0 } }
        func basic(_ pair: String) throws(Problem) -> [Header] {
            guard pair.contains(":") else { throw Problem("basic auth for the fleet must be user:password") }
            return [Header(name: "Authorization", value: Secret("Basic " + Base64.encode(Array(pair.utf8))))]
        }
        if let path = s.tokenFile { return bearer(try file(path, "--node-token-file")) }
        if let path = s.basicAuthFile { return try basic(try file(path, "--node-basic-auth-file")) }
        if let token = env("WATCHBILL_NODE_TOKEN") { return bearer(token) }
        if let pair = env("WATCHBILL_NODE_BASIC_AUTH") { return try basic(pair) }
        if let path = s.settings.tokenFile { return bearer(try file(path, "config fleet: token_file")) }
        if let path = s.settings.basicAuthFile { return try basic(try file(path, "config fleet: basic_auth_file")) }
        return []
    }

    /// A bearer token as a header.
    public static func bearer(_ token: String) -> [Header] {
        [Header(name: "Authorization", value: Secret("Bearer " + token))]
    }

    /// The config's `nodes:`, then `--node`, then `--nodes-file`'s lines, in that order; a
    /// target named twice is scraped once.
    public static func targets(configured: [String], flags: [String], nodesFile: String?,
                               read: (String) -> Result<[UInt8], Problem>) throws(Problem) -> [FleetTarget] {
        var out: [FleetTarget] = []
        for n in configured {
            guard let t = FleetTarget(n) else { throw Problem("config fleet: nodes: \(n): use host:port, host or an http(s) URL") }
            out.append(t)
        }
        for n in flags {
            guard let t = FleetTarget(n) else { throw Problem("--node \(n): use host:port, host or an http(s) URL") }
            out.append(t)
        }
        if let nodesFile {
            switch read(nodesFile) {
            case .failure(let why): throw Problem("--nodes-file \(nodesFile): cannot read: \(why)")
            case .success(let bytes):
                do { out += try FleetTarget.file(String(decoding: bytes, as: UTF8.self), path: nodesFile) } catch {
                    throw Problem("\(error)")
                }
            }
        }
        var seen: Set<String> = []
        return out.filter { seen.insert($0.url).inserted }
    }
}
