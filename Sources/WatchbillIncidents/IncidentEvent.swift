import Synchronization

/// The incident process' severities, with the meanings shown when choosing one.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable, CustomStringConvertible {
    public var description: String { rawValue }

    case p0 = "P0", p1 = "P1", p2 = "P2", p3 = "P3"

    /// A team's own words for P0 to P3 (the config's `severities`), over the common ones;
    /// set once the config is read, for the whole process.
    public static let teamWords = Mutex<[String: Severity]>([:])

    /// A rule's `severity` label in a team's words: P0 to P3 (any case) as they are, the
    /// config's `severities`, and the words Prometheus rule files use most: `critical`,
    /// `page` and `error` page (P1), `warning` is P2, `info` and `none` are P3. nil for any
    /// other word.
    public init?(teamLabel: String) {
        let word = teamLabel.lowercased()
        if let s = Severity.teamWords.withLock({ $0[word] }) {
            self = s
            return
        }
        if let s = Severity(rawValue: word.uppercased()) {
            self = s
            return
        }
        switch word {
        case "critical", "page", "error": self = .p1
        case "warning", "warn": self = .p2
        case "info", "none": self = .p3
        default: return nil
        }
    }

    public var meaning: String {
        switch self {
        case .p0: return "system down, data loss, security breach"
        case .p1: return "major feature broken, significant degradation"
        case .p2: return "minor feature issue, some users affected"
        case .p3: return "cosmetic, workaround available"
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}

public enum IncidentStatus: String, Sendable, CaseIterable, Codable {
    case investigating, mitigated, resolved
}

/// Where the incident is in the process: detection, assessment, mitigation,
/// communication, investigation, resolution, postmortem.
public enum IncidentStage: String, Sendable, CaseIterable, Codable {
    case detection, assessment, mitigation, communication, investigation, resolution, postmortem
}

/// One entry of an incident's append-only log. The incident is what its events fold to
/// (`Incident.fold`); the store keeps events only, so nothing written is ever rewritten.
public struct IncidentEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// The incident exists: `text` is its title, `field` its severity.
        case opened
        // The six moments of the postmortem template, and the rest of the timeline.
        case detected, alerted, acknowledged
        case mitigationStarted = "mitigation_started"
        case restored
        case rootCauseIdentified = "root_cause_identified"
        case fixDeployed = "fix_deployed"
        case resolved
        case note
        /// `field` is the new status / severity / stage.
        case statusChanged = "status"
        case severityChanged = "severity"
        case stageChanged = "stage"
        /// `field` is the alert's identity (its label set as text), `text` its summary.
        case alertLinked = "alert_linked"
        case alertResolved = "alert_resolved"
        /// `field` names what is set (title, owner, users_affected, users_percent, services,
        /// root_cause, permanent_fix, prevention, mitigation, runbook); `text` is the value.
        case fieldSet = "field"
        /// `field` is the item's key (its seq when added); `text` is "owner|deadline|task".
        case actionAdded = "action_added"
        case actionDone = "action_done"

        /// What was saved, in words, for the footer and the commands: `mitigation started`.
        public var words: String {
            switch self {
            case .opened: return "opened"
            case .detected: return "detection time"
            case .alerted: return "alert time"
            case .acknowledged: return "acknowledged"
            case .mitigationStarted: return "mitigation started"
            case .restored: return "service restored"
            case .rootCauseIdentified: return "root cause identified"
            case .fixDeployed: return "fix deployed"
            case .resolved: return "resolved"
            case .note: return "note"
            case .statusChanged: return "status"
            case .severityChanged: return "severity"
            case .stageChanged: return "stage"
            case .alertLinked: return "alert linked"
            case .alertResolved: return "alert resolved"
            case .fieldSet: return "field"
            case .actionAdded: return "action item"
            case .actionDone: return "action item done"
            }
        }
    }

    /// What this entry says it saved, in words: `mitigation started`, `owner`, `status mitigated`.
    public var words: String {
        let field = String(self.field.map { $0 == "_" ? " " : $0 })
        switch kind {
        case .fieldSet: return field
        case .statusChanged, .severityChanged, .stageChanged: return kind.words + " " + field
        default: return kind.words
        }
    }

    /// Order of writing, given by the store; 0 before it is stored.
    public var seq: Int64
    public var incident: Int64
    /// When it happened (may be back-dated), Unix seconds.
    public var at: Double
    /// When it was written.
    public var writtenAt: Double
    public var author: String
    public var kind: Kind
    public var field: String
    public var text: String

    public init(seq: Int64 = 0, incident: Int64, at: Double, writtenAt: Double, author: String, kind: Kind,
                field: String = "", text: String = "") {
        self.seq = seq
        self.incident = incident
        self.at = at
        self.writtenAt = writtenAt
        self.author = author
        self.kind = kind
        self.field = field
        self.text = text
    }
}
