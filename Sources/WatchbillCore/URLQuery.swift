/// A value percent-encoded for a URL's query: unreserved bytes as they are, the rest `%XX`;
/// a blank as `+` where Go's `url.QueryEscape` is matched (templates' `urlquery`).
public enum URLQuery {
    public static func escape(_ s: String, spaceAsPlus: Bool = false) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(b)))
            case UInt8(ascii: " ") where spaceAsPlus:
                out += "+"
            default:
                out += "%" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
            }
        }
        return out
    }
}
