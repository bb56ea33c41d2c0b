/// A YAML document as a tree of nodes, each with where it starts in the text: what the
/// config, rule, rule-test and key files are read from, so every error can name its line.
public enum Node: Sendable {
    case scalar(Scalar)
    case mapping(Mapping)
    case sequence(Sequence)

    /// Line and column, both from 1.
    public struct Mark: Equatable, Sendable {
        public var line: Int
        public var column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    public struct Scalar: Sendable {
        public enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }
        public var string: String
        public var style: Style
        public var tag: String?
        public var mark: Mark
    }

    /// Key and value pairs in the order the text has them.
    public struct Mapping: RandomAccessCollection, Sendable {
        public var pairs: [(key: Node, value: Node)]
        public var mark: Mark
        public var startIndex: Int { pairs.startIndex }
        public var endIndex: Int { pairs.endIndex }
        public subscript(position: Int) -> (key: Node, value: Node) { pairs[position] }

        /// The value of the first key whose text is `key`.
        public subscript(key: String) -> Node? {
            pairs.first { $0.key.scalar?.string == key }?.value
        }
    }

    public struct Sequence: RandomAccessCollection, Sendable {
        public var nodes: [Node]
        public var mark: Mark
        public var startIndex: Int { nodes.startIndex }
        public var endIndex: Int { nodes.endIndex }
        public subscript(position: Int) -> Node { nodes[position] }
    }

    public var scalar: Scalar? {
        if case .scalar(let s) = self { return s }
        return nil
    }

    public var mapping: Mapping? {
        if case .mapping(let m) = self { return m }
        return nil
    }

    public var sequence: Sequence? {
        if case .sequence(let s) = self { return s }
        return nil
    }

    public var mark: Mark? {
        switch self {
        case .scalar(let s): return s.mark
        case .mapping(let m): return m.mark
        case .sequence(let s): return s.mark
        }
    }

    /// A scalar's text, quoted or not.
    public var string: String? { scalar?.string }

    /// YAML 1.1's booleans (`yes`/`no`/`on`/`off` as well as `true`/`false`), as Go's
    /// yaml.v2 reads them in Prometheus' own files.
    public var bool: Bool? {
        switch scalar?.string {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }
}
