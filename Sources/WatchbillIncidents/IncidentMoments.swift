/// The postmortem template's moments, and the response and recovery times the seed's SLA
/// targets judge. Each moment is the earliest entry of its kind by `at`, so a back-dated
/// entry corrects a moment without rewriting anything.
extension Incident {
    /// Incident response: acknowledged within 15 minutes of the page.
    public static let responseTarget: Double = 15 * 60
    /// Recovery: service restored within an hour of detection.
    public static let recoveryTarget: Double = 60 * 60

    public func first(_ kind: IncidentEvent.Kind) -> IncidentEvent? {
        timeline.first { $0.kind == kind }
    }

    /// An incident opened by hand with no `detected` entry was detected when it was opened.
    public var detectedAt: Double { first(.detected)?.at ?? openedAt }
    public var alertedAt: Double? { first(.alerted)?.at }
    public var acknowledgedAt: Double? { first(.acknowledged)?.at }
    public var mitigationStartedAt: Double? { first(.mitigationStarted)?.at }
    public var restoredAt: Double? { first(.restored)?.at }
    public var rootCauseIdentifiedAt: Double? { first(.rootCauseIdentified)?.at }
    public var fixDeployedAt: Double? { first(.fixDeployed)?.at }
    /// The resolution that stands: the last one, and none while a reopened incident is open.
    public var resolvedAt: Double? {
        status == .resolved ? timeline.last { $0.kind == .resolved }?.at : nil
    }

    /// From the page (or detection, when nothing paged) to a human taking it. Someone who
    /// acknowledged before the alert fired responded at once: 0, not a negative time.
    public var timeToAcknowledge: Double? {
        acknowledgedAt.map { max(0, $0 - (alertedAt ?? detectedAt)) }
    }
    public var timeToMitigate: Double? { mitigationStartedAt.map { $0 - detectedAt } }
    public var timeToRestore: Double? { restoredAt.map { $0 - detectedAt } }
    public var timeToResolve: Double? { resolvedAt.map { $0 - detectedAt } }

    /// How long users were affected: until service was restored, or resolved when no
    /// restore was recorded, or until `now` while it lasts.
    public func duration(now: Double) -> Double {
        (restoredAt ?? resolvedAt ?? now) - detectedAt
    }

    /// Whether the response met its target; nil until someone acknowledges.
    public var meetsResponseTarget: Bool? { timeToAcknowledge.map { $0 <= Incident.responseTarget } }
    /// Whether recovery met its target; nil until service is restored.
    public var meetsRecoveryTarget: Bool? { timeToRestore.map { $0 <= Incident.recoveryTarget } }
}
