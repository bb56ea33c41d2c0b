/// A notification that was decided on: the body for one destination, journaled before it
/// is sent so a crash re-sends it.
public struct Intent: Sendable, Equatable {
    public var seq: UInt64
    /// Wall-clock epoch seconds, for dropping stale intents after a long outage.
    public var createdAt: Double
    /// The destination's name; its URL and token stay in the config, never in the journal.
    public var destination: String
    public var body: String

    public init(seq: UInt64, createdAt: Double, destination: String, body: String) {
        self.seq = seq
        self.createdAt = createdAt
        self.destination = destination
        self.body = body
    }
}

/// The journal's two line shapes:
///
///     intent <seq> <createdAt> <destination> <body>
///     done <seq>
///
/// Fields are escaped so a line holds no newline (`\n`, `\r`, `\\`); the destination also
/// has no space (`\s`) since the body, last, runs to the end of the line.
enum IntentLine: Equatable {
    case intent(Intent)
    case done(UInt64)

    var text: String {
        switch self {
        case .intent(let i):
            "intent \(i.seq) \(i.createdAt) \(IntentLine.escape(i.destination, spaces: true)) \(IntentLine.escape(i.body, spaces: false))"
        case .done(let seq):
            "done \(seq)"
        }
    }

    /// A journal counts one a notification: a number past 2^53 is damage, and would end the count.
    static let maxSequence: UInt64 = 1 << 53

    /// Parses one line (without its newline); the error is the cause, for the report.
    static func parse(_ line: Substring) -> Result<IntentLine, LineError> {
        let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
        switch fields.first {
        case "intent":
            guard fields.count == 5 else { return .failure(LineError("an intent needs 5 fields, has \(fields.count)")) }
            guard let seq = UInt64(fields[1]) else { return .failure(LineError("sequence '\(fields[1])' is not a number")) }
            guard seq < Self.maxSequence else { return .failure(LineError("sequence \(seq) is past any journal's count")) }
            guard let created = Double(fields[2]), created.isFinite else {
                return .failure(LineError("time '\(fields[2])' is not a number"))
            }
            guard let destination = unescape(fields[3]), !destination.isEmpty else {
                return .failure(LineError("destination '\(fields[3])' is badly escaped"))
            }
            guard let body = unescape(fields[4]) else { return .failure(LineError("the body is badly escaped")) }
            return .success(.intent(Intent(seq: seq, createdAt: created, destination: destination, body: body)))
        case "done":
            guard fields.count == 2, let seq = UInt64(fields[1]) else {
                return .failure(LineError("a done line needs one sequence number"))
            }
            guard seq < Self.maxSequence else { return .failure(LineError("sequence \(seq) is past any journal's count")) }
            return .success(.done(seq))
        default:
            return .failure(LineError("unknown record '\(fields.first.map { String($0.prefix(20)) } ?? "")'"))
        }
    }

    struct LineError: Error, Equatable {
        var cause: String
        init(_ cause: String) { self.cause = cause }
    }

    static func escape(_ s: String, spaces: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case " " where spaces: out += "\\s"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func unescape(_ s: Substring) -> String? {
        var out = ""
        var escaped = false
        for c in s.unicodeScalars {
            if escaped {
                switch c {
                case "\\": out += "\\"
                case "n": out += "\n"
                case "r": out += "\r"
                case "s": out += " "
                default: return nil
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return escaped ? nil : out
    }
}
