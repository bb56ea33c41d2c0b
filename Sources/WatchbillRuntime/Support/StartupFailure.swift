#if canImport(Glibc)
import Glibc
#endif

/// A start that cannot go on (a rule file or a token file that cannot be read): said on
/// stderr as `watchbill: ...`, exit 2, before the terminal is taken.
public enum StartupFailure {
    public static func exit(_ message: String) -> Never {
        let line = Array("watchbill: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        Glibc.exit(2)
    }
}
