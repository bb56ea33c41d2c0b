import WatchbillDomain

extension AlertItem {
    /// When the trouble behind this alert was first seen: its pending start, or the first
    /// failed probe of the run it names when that came earlier. ProbeDown asks for two
    /// minutes of failures before it is even pending, and a postmortem's "Issue detected"
    /// is the first evidence, not the rule's verdict.
    public func earliestEvidence(probes: [ProbeSummary]) -> Double {
        guard let name = labels["probe"],
              let since = probes.first(where: { $0.spec.name == name })?.failingSince else { return activeAt }
        return min(activeAt, since)
    }
}
