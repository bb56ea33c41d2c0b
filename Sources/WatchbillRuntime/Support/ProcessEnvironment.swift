#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors

/// What the process environment says: the terminal's wishes, variables, files.
public struct ProcessEnvironment {
    public init() {}

    public var noColor: Bool {
        // no-color.org: set and non-empty disables color.
        if let v = getenv("NO_COLOR") { return v.pointee != 0 }
        return false
    }

    /// A variable's value; unset and empty are the same.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A secret file's bytes (64 KiB at most: a token, a password), or why it cannot be read.
    public static func read(_ path: String) -> Result<[UInt8], FleetAccess.Problem> {
        UserFile.read(path, limit: 64 << 10).mapError { FleetAccess.Problem($0.description) }
    }
}
