import WatchbillCore

/// How a notification travels. `HTTPPost` is the real one; tests give the notifier a
/// scripted one, so retries are checked without a network or real waiting.
public protocol Transport: Sendable {
    /// POSTs `body`; blocks for at most about `timeout` seconds. Header values are
    /// `Secret`s: a transport must not put them in its error text.
    func post(url: String, body: String, headers: [Header], timeout: Double) -> PostResult
}

/// What one POST came to.
public struct PostResult: Sendable, Equatable {
    /// What the notifier does next.
    public enum Outcome: Sendable, Equatable {
        case delivered
        /// The receiver refused the request itself (a 4xx): sending it again cannot help.
        case rejected
        /// The receiver or the path to it failed: try again later.
        case retry
    }

    /// The HTTP status; nil when no response came (refused, timed out, TLS failure).
    public var status: Int?
    /// Why it was not delivered, safe to log; nil when delivered.
    public var error: String?
    /// The start of the response's body (Alertmanager answers a new silence with its ID).
    public var body: String

    public init(status: Int?, error: String? = nil, body: String = "") {
        self.status = status
        self.error = error
        self.body = body
    }

    public var outcome: Outcome {
        guard let status else { return .retry }
        switch status {
        case 200..<300: return .delivered
        // Rate limited or timed out at the server: the same request can succeed later.
        case 408, 429, 500..<600: return .retry
        default: return .rejected
        }
    }
}
