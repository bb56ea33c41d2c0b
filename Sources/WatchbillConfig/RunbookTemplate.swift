/// The runbook template of the incident process (seed: Runbook Template), for
/// `watchbill runbook new`: every section a responder looks for, with prompts to replace.
public enum RunbookTemplate {
    public static let sections = ["What This Means", "Impact", "Triage Steps", "Common Causes", "Mitigation", "Resources"]

    public static func scaffold(alert: String) -> String {
        """
        ## Alert: \(alert)

        ### What This Means
        [Plain English: what condition fired, and over what window.]

        ### Impact
        [What users experience while it fires. Which severity (P0 to P3) it deserves.]

        ### Triage Steps
        1. Check [dashboard or metric: the Watchbill pane, or the alert's detail (Enter)]
        2. Look for [specific indicators]
        3. Verify [system component]

        ### Common Causes
        - [Cause 1] → [How to check]
        - [Cause 2] → [How to check]

        ### Mitigation
        - [Quick fix 1]
        - [Quick fix 2]
        - Escalate if: [conditions, e.g. not restored within 15 minutes]

        ### Resources
        - Dashboard: [link]
        - Logs: [query]
        - Related runbooks: [links]

        """
    }
}
