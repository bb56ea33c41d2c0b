#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillScreen

/// Finds a theme by name or path: a path (with a `/`) as given, then
/// `$XDG_CONFIG_HOME/watchbill/themes/NAME.theme`, then the shipped ones. A theme that
/// cannot be read or parsed gives the default theme and says why: the dashboard never
/// fails to start over a theme.
public enum ThemeLoader {
    public static func configDirectory() -> String {
        if let x = getenv("XDG_CONFIG_HOME"), x.pointee != 0 { return String(cString: x) + "/watchbill" }
        return (getenv("HOME").map { String(cString: $0) } ?? "/tmp") + "/.config/watchbill"
    }

    /// User themes first (sorted), then the shipped ones not overridden.
    public static func available() -> [String] {
        let user = ProcRoot("/").list(configDirectory() + "/themes")?.filter { $0.hasSuffix(".theme") }
            .map { String($0.dropLast(6)) } ?? []
        return BuiltinThemes.names + user.filter { !BuiltinThemes.names.contains($0) }
    }

    /// A theme is a few dozen lines; a megabyte is not a theme.
    static let maxBytes = 1 << 20

    public static func load(_ nameOrPath: String) -> (theme: Theme, messages: [String]) {
        var source: (text: String, file: String)?
        if nameOrPath.contains("/") {
            switch UserFile.read(nameOrPath, limit: maxBytes) {
            case .success(let bytes): source = (String(decoding: bytes, as: UTF8.self), nameOrPath)
            case .failure(let why): return (.standard, ["theme \(nameOrPath): cannot read (\(why)); using the default theme"])
            }
        } else if case .success(let bytes) = UserFile.read(configDirectory() + "/themes/\(nameOrPath).theme", limit: maxBytes) {
            source = (String(decoding: bytes, as: UTF8.self), configDirectory() + "/themes/\(nameOrPath).theme")
        } else if let text = BuiltinThemes.sources[nameOrPath] {
            source = (text, "themes/\(nameOrPath).theme")
        }
        guard let source else {
            return (.standard, ["no theme '\(nameOrPath)' (have \(available().joined(separator: ", "))); using the default"])
        }
        let name = nameOrPath.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) } ?? nameOrPath
        do {
            let parsed = try ThemeParser.parse(source.text, name: name, file: source.file)
            return (parsed.theme, parsed.warnings)
        } catch {
            return (.standard, ["\(error); using the default theme"])
        }
    }
}
