/// Just enough JSON writing for the notification bodies. Objects are written with their
/// keys sorted, so a body is a pure function of its content: tests compare it byte for
/// byte and a replayed intent is exactly what was first sent.
public enum JSONText {
    /// `s` as a JSON string literal, quotes included. Characters outside ASCII go through
    /// as UTF-8: only what JSON forbids raw (quote, backslash, controls) is escaped.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u00" + hexByte(UInt8(scalar.value))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An object from members whose values are already JSON text.
    static func object(_ members: [String: String]) -> String {
        "{" + members.sorted { utf8Less($0.key, $1.key) }.map { quoted($0.key) + ":" + $0.value }
            .joined(separator: ",") + "}"
    }

    /// A string-to-string map, as labels and annotations are.
    static func stringMap(_ map: [String: String]) -> String { object(map.mapValues(quoted)) }

    static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ",") + "]" }

    /// Byte order, as Go sorts label names: independent of Unicode collation.
    static func utf8Less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    private static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}
