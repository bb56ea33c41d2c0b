/// The bottom line: the keys that matter most, and what went wrong. A message takes all
/// the room it needs but the first two hints; the rest of the hints give way to it.
enum FooterView {
    static func render(_ state: AppState, into grid: inout Grid, y: Int) {
        // From the keymap in force, so a rebound key is hinted as the user bound it.
        func key(_ a: Action) -> String { state.keymap.bindings.first { $0.action == a }?.key.label ?? "?" }
        let shortest = state.wall ? "read-only; Ctrl-C quits" : "\(key(.quit)) quit  \(key(.toggleHelp)) help"
        func probeKey(_ a: Action) -> String { state.probeKeymap.bindings.first { $0.action == a }?.key.label ?? "?" }
        var hint = shortest + "  \(key(.togglePause)) pause  \(key(.slower))/\(key(.faster)) interval  "
            + "\(key(.focusNext)) focus  \(key(.zoom)) zoom"
        func alertKey(_ a: Action) -> String { state.alertKeymap.bindings.first { $0.action == a }?.key.label ?? "?" }
        let alertKeys = "\(alertKey(.acknowledge)) ack  \(alertKey(.silence)) silence  \(alertKey(.incidentFromAlert)) incident  "
            + "\(alertKey(.runbook)) runbook"
        if state.wall {
            hint = "wall display: read-only, keys off; Ctrl-C quits"
        } else if state.fleetTableShown && !DashboardView.alertScreenOpen(state) && !state.incidentScreenOpen {
            func fk(_ a: Action) -> String { state.fleetKeymap.bindings.first { $0.action == a }?.key.label ?? "?" }
            hint = state.fleetView.editingFilter != nil ? "type to filter  Enter keep  Esc drop"
                : shortest + "  \(fk(.openHost)) open host  \(fk(.filter)) filter  \(fk(.sortPrevious)) \(fk(.sortNext)) sort  \(fk(.sortReverse)) reverse"
        } else if state.fleet != nil && state.fleetView.openHost != nil && !DashboardView.alertScreenOpen(state)
                    && !state.incidentScreenOpen && state.history == nil {
            hint = shortest + "  \(key(.back)) fleet  \(key(.focusNext)) focus  \(key(.zoom)) zoom"
        } else if state.history != nil && !DashboardView.alertScreenOpen(state) && !state.incidentScreenOpen {
            hint = shortest + "  Left/Right 1 sample  PgUp/PgDn 1 min  g/G oldest/now  Esc live"
        } else if state.replayStatus != nil && !DashboardView.alertScreenOpen(state) {
            hint = shortest + "  Space pause  Left/Right a minute  [ ] speed  g/G start/end"
        } else if state.alertView.form != nil {
            hint = "Tab next field  Enter save  Esc cancel"
        } else if state.alertView.runbook != nil {
            hint = "Up/Down PgUp/PgDn scroll  Esc or q close"
        } else if state.openIncident != nil {
            func ik(_ a: Action) -> String { state.incidentKeymap.bindings.first { $0.action == a }?.key.label ?? "?" }
            hint = shortest + "  \(key(.back)) back  \(ik(.note)) note  \(ik(.acknowledge)) ack  \(ik(.mitigationStarted)) mitigating  "
                + "\(ik(.incidentStatus)) status  \(ik(.exportPostmortem)) export"
        } else if state.incidentView.listShown {
            func ik(_ a: Action) -> String { state.incidentKeymap.bindings.first { $0.action == a }?.key.label ?? "?" }
            hint = shortest + "  \(key(.back)) back  \(ik(.openIncident)) open  \(ik(.newIncident)) new  \(ik(.allIncidents)) open/all  "
                + "\(ik(.incidentStats)) figures"
        } else if state.alertView.silencesList {
            hint = shortest + "  \(key(.back)) back  \(alertKey(.expireSilence)) expire selected"
        } else if state.alertView.detail {
            hint = shortest + "  \(key(.back)) back  " + alertKeys
        } else if state.alertsPaneActive {
            hint = shortest + "  \(alertKey(.alertDetails)) details  " + alertKeys
                + "  \(alertKey(.silences)) silences  \(alertKey(.toggleSuppressed)) silenced"
        } else if state.probeView.detail && state.hasProbes {
            hint = shortest + "  \(key(.back)) back  \(probeKey(.latencyWindow)) window  \(probeKey(.selectUp))/\(probeKey(.selectDown)) target"
        } else if state.probePaneActive {
            hint = shortest + "  \(probeKey(.targetDetails)) details  \(probeKey(.latencyWindow)) window  "
                + "\(probeKey(.sharedAxis)) shared scale  \(key(.focusNext)) focus"
        }
        var message: String?
        if let notice = state.notice {
            message = notice
        } else if let problems = state.data.snapshot?.problems, let first = problems.first {
            message = "! " + first + (problems.count > 1 ? " (+\(problems.count - 1))" : "")
        }
        var limit = grid.width
        if let message {
            let room = max(0, grid.width - displayWidth(shortest) - 2)
            let text = Format.clip(message, room, ellipsis: state.glyphs.ellipsis)
            limit = grid.textRight(text, right: grid.width, y: y, style: Style(.warn)) - 2
        }
        let shown = displayWidth(hint) <= limit ? hint : shortest
        grid.text(shown, x: 0, y: y, style: Style(.muted), limit: max(0, limit))
    }
}
