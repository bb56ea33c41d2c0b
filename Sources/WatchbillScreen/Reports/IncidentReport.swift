import WatchbillIncidents

/// `watchbill incident list|show --format json`: an incident with its derived times and
/// its whole timeline, for bots and scripts.
public struct IncidentJSON: Encodable, Sendable {
    public var id: Int64
    public var title: String
    public var severity: String
    public var status: String
    public var stage: String
    public var owner: String?
    public var detectedAtUnixSeconds: Double
    public var acknowledgedAtUnixSeconds: Double?
    public var restoredAtUnixSeconds: Double?
    public var resolvedAtUnixSeconds: Double?
    public var timeToAcknowledgeSeconds: Double?
    public var timeToRestoreSeconds: Double?
    public var meetsResponseTarget: Bool?
    public var meetsRecoveryTarget: Bool?
    public var usersAffected: Int?
    public var usersPercent: Double?
    public var services: [String]
    public var linkedAlerts: [String]
    public var rootCause: String?
    public var permanentFix: String?
    public var actionItems: [ActionItemJSON]
    public var timeline: [EventJSON]

    public struct ActionItemJSON: Encodable, Sendable {
        public var owner: String
        public var deadline: String
        public var task: String
        public var done: Bool
    }

    public struct EventJSON: Encodable, Sendable {
        public var seq: Int64
        public var atUnixSeconds: Double
        public var writtenAtUnixSeconds: Double
        public var author: String
        public var kind: String
        public var field: String
        public var text: String
    }

    public init(_ i: Incident, now: Double) {
        id = i.id
        title = i.title
        severity = i.severity.rawValue
        status = i.status.rawValue
        stage = i.stage.rawValue
        owner = i.owner
        detectedAtUnixSeconds = i.detectedAt
        acknowledgedAtUnixSeconds = i.acknowledgedAt
        restoredAtUnixSeconds = i.restoredAt
        resolvedAtUnixSeconds = i.resolvedAt
        timeToAcknowledgeSeconds = i.timeToAcknowledge
        timeToRestoreSeconds = i.timeToRestore
        meetsResponseTarget = i.meetsResponseTarget
        meetsRecoveryTarget = i.meetsRecoveryTarget
        usersAffected = i.impact.usersAffected
        usersPercent = i.impact.usersPercent
        services = i.impact.services
        linkedAlerts = i.linkedAlerts.keys.sorted()
        rootCause = i.rootCause
        permanentFix = i.permanentFix
        actionItems = i.actionItems.map { ActionItemJSON(owner: $0.owner, deadline: $0.deadline, task: $0.task, done: $0.done) }
        timeline = i.writtenOrder.map {
            EventJSON(seq: $0.seq, atUnixSeconds: $0.at, writtenAtUnixSeconds: $0.writtenAt, author: $0.author,
                      kind: $0.kind.rawValue, field: $0.field, text: $0.text)
        }
    }
}

/// One line per incident for `watchbill incident list`.
public enum IncidentList {
    public static func ordered(_ list: [Incident]) -> [Incident] { IncidentsData.ordered(list) }

    public static func line(_ i: Incident, now: Double) -> String {
        let age = IncidentFormat.duration((i.resolvedAt ?? now) - i.detectedAt)
        return "#\(i.id)  \(i.severity.rawValue)  \(Format.padRight(i.status.rawValue, 13)) \(Format.padRight(i.stage.rawValue, 13)) "
            + "\(Format.padLeft(age, 7))  \(i.title)" + (i.owner.map { "  (\($0))" } ?? "")
    }
}
