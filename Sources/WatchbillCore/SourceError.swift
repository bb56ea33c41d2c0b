/// Input that cannot be used, said the way an editor jumps to it: `file:line: cause`.
/// One type for every reader (`/proc` files, themes, key bindings), so messages look alike
/// in the footer, the log and the tests.
public struct SourceError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var cause: String

    public init(file: String, line: Int, cause: String) {
        self.file = file
        self.line = line
        self.cause = cause
    }

    public var description: String { "\(file):\(line): \(cause)" }
}
