#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors
import WatchbillConfig
import WatchbillScreen

/// Finds a rule's runbook: an http(s) address is shown to copy; a file name is looked up in
/// `$XDG_CONFIG_HOME/watchbill/runbooks/`, then among the runbooks built in; a path is read
/// as it is.
public enum RunbookLibrary {
    public static var directory: String { ThemeLoader.configDirectory() + "/runbooks" }

    /// `watchbill runbook new NAME`: the team's template for an alert written to `dir`,
    /// never over an existing file. The path written, or why not.
    public static func writeScaffold(name: String, dir: String?) -> Result<(path: String, file: String), Problem> {
        let file = name.hasSuffix(".md") ? name : name + ".md"
        guard !file.contains("/"), file != ".md" else { return .failure(Problem(message: "NAME is a file name, not a path: \(name)")) }
        let directory = dir ?? RunbookLibrary.directory
        let path = directory + "/" + file
        guard access(path, F_OK) != 0 else { return .failure(Problem(message: "\(path) exists; not overwritten")) }
        FileLog.makeDirectories(directory)
        let alert = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        if let error = AtomicFile.write(Array(RunbookTemplate.scaffold(alert: alert).utf8), to: path) {
            return .failure(Problem(message: "\(path): \(error)"))
        }
        return .success((path, file))
    }

    public struct Problem: Error { public var message: String }

    public static func page(name: String, alert: String) -> Result<RunbookPage, Problem> {
        if name.hasPrefix("http://") || name.hasPrefix("https://") {
            return .success(RunbookPage(title: alert, lines: [], url: name))
        }
        let path = name.hasPrefix("/") ? name : directory + "/" + name
        if let bytes = ProcRoot("/").read(path, limit: 4 << 20) {
            return .success(RunbookPage(title: "\(alert) (\(path))", lines: lines(String(decoding: bytes, as: UTF8.self))))
        }
        if let text = BuiltinRunbooks.files[name] {
            return .success(RunbookPage(title: "\(alert) (built in: \(name))", lines: lines(text)))
        }
        return .failure(Problem(message: "runbook \(name) not found in \(directory) or the built-in ones"))
    }

    public static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.filter { $0 != "\r" && $0 != "\t" }) }
    }
}
