/// An incident as its event log folds to (`Incident.fold`). Nothing here is stored: the
/// log is the record, and this is recomputed from it, so a correction is a new event.
public struct Incident: Sendable, Equatable {
    public struct Impact: Sendable, Equatable {
        public var usersAffected: Int?
        /// 0–100.
        public var usersPercent: Double?
        public var services: [String]

        public init(usersAffected: Int? = nil, usersPercent: Double? = nil, services: [String] = []) {
            self.usersAffected = usersAffected
            self.usersPercent = usersPercent
            self.services = services
        }
    }

    public struct LinkedAlert: Sendable, Equatable {
        public var summary: String
        public var linkedAt: Double
        public var resolvedAt: Double?

        public init(summary: String, linkedAt: Double, resolvedAt: Double? = nil) {
            self.summary = summary
            self.linkedAt = linkedAt
            self.resolvedAt = resolvedAt
        }
    }

    public struct ActionItem: Sendable, Equatable {
        /// The seq of its `actionAdded` event, as text: what `actionDone` names.
        public var key: String
        public var owner: String
        /// As written ("Friday", "2025-03-21"): a deadline is a promise, not a timestamp.
        public var deadline: String
        public var task: String
        public var done: Bool
        public var doneAt: Double?

        public init(key: String, owner: String, deadline: String, task: String, done: Bool = false,
                    doneAt: Double? = nil) {
            self.key = key
            self.owner = owner
            self.deadline = deadline
            self.task = task
            self.done = done
            self.doneAt = doneAt
        }
    }

    public var id: Int64
    public var title: String
    public var severity: Severity
    public var status: IncidentStatus
    public var stage: IncidentStage
    public var owner: String?
    public var openedAt: Double
    public var impact: Impact
    /// By alert identity (its label set as text).
    public var linkedAlerts: [String: LinkedAlert]
    public var runbooks: [String]
    public var rootCause: String?
    /// Mitigation actions, in the order they were written.
    public var mitigation: [String]
    public var permanentFix: String?
    /// One change a line.
    public var prevention: String?
    /// In the order they were added.
    public var actionItems: [ActionItem]
    /// Every event but settings of plain fields, by `at` then `seq`: what happened, in the
    /// order it happened, with back-dated entries where they belong.
    public var timeline: [IncidentEvent]
    /// Every event, by `seq`: the order it was written in.
    public var writtenOrder: [IncidentEvent]
}
