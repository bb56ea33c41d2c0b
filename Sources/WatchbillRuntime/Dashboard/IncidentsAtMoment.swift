import WatchbillIncidents

/// The incidents as they stood at a past moment: each one's log folded again up to what
/// had been written by then (an incident opened later is left out; one resolved later is
/// still open). A rewind or a replay shows this, not today's store.
public enum IncidentsAtMoment {
    public static func fold(_ incidents: [Incident], at moment: Double) -> [Incident] {
        incidents.compactMap { i in
            guard i.writtenOrder.contains(where: { $0.writtenAt > moment }) else { return i }
            return Incident.fold(id: i.id, events: i.writtenOrder.filter { $0.writtenAt <= moment })
        }
    }
}
