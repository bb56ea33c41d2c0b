/// Input that cannot be used, said the way an editor jumps to it: `file:line: cause` or
/// `file:line:column: cause`. One type for every reader (`/proc` files, themes, key
/// bindings, the config), so messages look alike in the footer, the log and the tests.
public struct SourceError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int?
    public var cause: String

    public init(file: String, line: Int, column: Int? = nil, cause: String) {
        self.file = file
        self.line = line
        self.column = column
        self.cause = cause
    }

    public var description: String {
        if let column { return "\(file):\(line):\(column): \(cause)" }
        return "\(file):\(line): \(cause)"
    }
}
