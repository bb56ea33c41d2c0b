import CYAML

/// Why a text is not a YAML document, in libyaml's own words, at the place it names.
public struct YAMLError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case reader, scanner, parser, composer, duplicateKey, tooDeep, memory }

    public struct Context: Sendable {
        public var text: String
        public var mark: Node.Mark
    }

    public var kind: Kind
    public var problem: String
    public var mark: Node.Mark
    /// What the parser was in the middle of ("while scanning a quoted scalar", and where).
    public var context: Context?
    /// For `duplicateKey`: the key's text.
    public var key: String?

    public var description: String {
        problem + (context.map { " (\($0.text) from line \($0.mark.line))" } ?? "")
    }
}

public enum YAML {
    /// Deeper than this is refused: the readers walk the tree recursively, and freeing it is too.
    public static let maxDepth = 512

    /// The text's one document as a tree, or nil when it holds none (empty, or only
    /// comments). Aliases are replaced by what they name; a key twice in one mapping, a
    /// second document and nesting past `maxDepth` are errors.
    public static func compose(_ text: String) throws -> Node? {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return nil }
        return try bytes.withUnsafeMutableBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                throw YAMLError(kind: .memory, problem: "out of memory", mark: Node.Mark(line: 1, column: 1))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var composer = Composer()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { throw failure(parser, bytes: buffer) }
                defer { yaml_event_delete(&event) }
                if try composer.take(event) { return composer.root }
            }
        }
    }

    static func mark(_ m: yaml_mark_t) -> Node.Mark { Node.Mark(line: Int(m.line) + 1, column: Int(m.column) + 1) }

    static func string(_ p: UnsafePointer<UInt8>?, length: Int) -> String {
        guard let p, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self)
    }

    static func string(_ p: UnsafeMutablePointer<UInt8>?) -> String? {
        p.map { String(cString: $0) }
    }

    static func failure(_ parser: yaml_parser_t, bytes: UnsafeMutableBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "not YAML"
        let context = parser.context.map { YAMLError.Context(text: String(cString: $0), mark: mark(parser.context_mark)) }
        switch parser.error {
        case YAML_READER_ERROR:
            // The reader counts bytes, not lines.
            let offset = min(Int(parser.problem_offset), bytes.count)
            var line = 1, column = 1
            for b in bytes[..<offset] {
                if b == 10 { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            }
            return YAMLError(kind: .reader, problem: problem, mark: Node.Mark(line: line, column: column))
        case YAML_SCANNER_ERROR:
            return YAMLError(kind: .scanner, problem: problem, mark: mark(parser.problem_mark), context: context)
        case YAML_MEMORY_ERROR:
            return YAMLError(kind: .memory, problem: "out of memory", mark: Node.Mark(line: 1, column: 1))
        default:
            return YAMLError(kind: .parser, problem: problem, mark: mark(parser.problem_mark), context: context)
        }
    }
}

/// Builds the tree from libyaml's events with a stack of open collections, not recursion.
private struct Composer {
    private enum Open {
        case mapping(Node.Mapping, anchor: String?, pendingKey: Node?, keys: [String: Node.Mark])
        case sequence(Node.Sequence, anchor: String?)
    }

    private var stack: [Open] = []
    private var anchors: [String: Node] = [:]
    private(set) var root: Node?
    private var documents = 0
    private var firstDocument = Node.Mark(line: 1, column: 1)

    /// Takes one event; true once the stream has ended (`root` is the document then).
    mutating func take(_ event: yaml_event_t) throws -> Bool {
        let at = YAML.mark(event.start_mark)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents == 1 { firstDocument = at }
            if documents > 1 {
                throw YAMLError(kind: .composer, problem: "but found another document", mark: at,
                                context: .init(text: "expected a single document in the stream", mark: firstDocument))
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let style: Node.Scalar.Style
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let node = Node.scalar(Node.Scalar(string: YAML.string(s.value, length: Int(s.length)), style: style,
                                               tag: YAML.string(s.tag), mark: at))
            if let anchor = YAML.string(s.anchor) { anchors[anchor] = node }
            try add(node)
        case YAML_ALIAS_EVENT:
            let name = YAML.string(event.data.alias.anchor) ?? ""
            guard let node = anchors[name] else {
                throw YAMLError(kind: .composer, problem: "found undefined alias '\(name)'", mark: at)
            }
            try add(node)
        case YAML_MAPPING_START_EVENT:
            try deeper(at)
            stack.append(.mapping(Node.Mapping(pairs: [], mark: at), anchor: YAML.string(event.data.mapping_start.anchor),
                                  pendingKey: nil, keys: [:]))
        case YAML_SEQUENCE_START_EVENT:
            try deeper(at)
            stack.append(.sequence(Node.Sequence(nodes: [], mark: at), anchor: YAML.string(event.data.sequence_start.anchor)))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            let node: Node, anchor: String?
            switch stack.removeLast() {
            case .mapping(let m, let a, _, _): node = .mapping(m); anchor = a
            case .sequence(let s, let a): node = .sequence(s); anchor = a
            }
            if let anchor { anchors[anchor] = node }
            try add(node)
        default:
            break
        }
        return false
    }

    private func deeper(_ at: Node.Mark) throws {
        if stack.count >= YAML.maxDepth {
            throw YAMLError(kind: .tooDeep, problem: "nested deeper than \(YAML.maxDepth) levels", mark: at)
        }
    }

    private mutating func add(_ node: Node) throws {
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .sequence(var s, let anchor):
            s.nodes.append(node)
            stack.append(.sequence(s, anchor: anchor))
        case .mapping(var m, let anchor, let pendingKey, var keys):
            if let key = pendingKey {
                m.pairs.append((key, node))
                stack.append(.mapping(m, anchor: anchor, pendingKey: nil, keys: keys))
            } else {
                if let text = node.scalar?.string, let mark = node.mark {
                    if let first = keys[text] {
                        throw YAMLError(kind: .duplicateKey, problem: "key '\(text)' appears more than once in one mapping",
                                        mark: first, key: text)
                    }
                    keys[text] = mark
                }
                stack.append(.mapping(m, anchor: anchor, pendingKey: node, keys: keys))
            }
        }
    }
}
