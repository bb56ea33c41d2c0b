import WatchbillIncidents
import WatchbillRules

/// Taking an incident takes its alerts: each linked alert still pending or firing and not
/// yet acknowledged is acknowledged by the same person, naming the incident, so the Alerts
/// pane, `watchbill alerts` and the report say someone is on them. The dashboard's `a` and
/// `watchbill incident ack` both go through here.
public enum LinkedAlertAcks {
    public static func acknowledgements(taking incident: Incident, alerts: [AlertItem], by who: String,
                                        at now: Double) -> [Acknowledgement] {
        alerts.filter { alert in
            alert.phase != .resolved && alert.acknowledgement == nil
                && incident.linkedAlerts[alert.labels.description].map { $0.resolvedAt == nil } == true
        }.map { Acknowledgement(labels: $0.labels, by: who, comment: "incident #\(incident.id) acknowledged", at: now) }
    }
}
