extension AppState {
    /// The fleet table is on screen (fleet mode, no host opened).
    /// (The Alerts pane zoomed with `A` covers it.)
    public var fleetTableShown: Bool { fleet != nil && fleetView.openHost == nil && !(zoomed && focus == .alerts) }

    /// The fleet table's keys, before the standard ones; nil for a key it does not take.
    mutating func handleFleetKey(_ key: Key) -> [Effect]? {
        guard let fleet, fleetTableShown, !showHelp else { return nil }
        if let text = fleetView.editingFilter {
            switch FilterEdit.apply(key, to: text, before: fleetView.filterBeforeEditing) {
            case .editing(let t):
                fleetView.editingFilter = t
                fleetView.filter = t
            case .kept(let t), .dropped(let t):
                fleetView.editingFilter = nil
                fleetView.filter = t
            }
            return []
        }
        guard let action = fleetKeymap.action(for: key) else { return nil }
        let rows = FleetList.visible(fleet.rows, fleetView)
        switch action {
        case .selectUp, .selectDown, .selectPageUp, .selectPageDown, .selectFirst, .selectLast:
            guard let current = FleetList.selection(rows, fleetView) else { return [] }
            let page = max(1, screenSize.height - 5)
            var next = Action.moved(action, from: current, count: rows.count)
            if action == .selectPageUp { next = current - page }
            if action == .selectPageDown { next = current + page }
            fleetView.selectedID = rows[min(max(next, 0), rows.count - 1)].id
        case .openHost:
            guard let i = FleetList.selection(rows, fleetView) else { return [] }
            guard fleet.opensHosts else {
                notice = "this fleet's source cannot show a host's panes"
                return []
            }
            fleetView.selectedID = rows[i].id
            fleetView.openHost = rows[i].id
            zoomed = false
            // Its panes show its last answer; the footer says why there is no newer one.
            if let why = rows[i].status.problem { notice = "\(rows[i].name) is \(rows[i].status.word): \(why)" }
            if rows[i].status == .waiting { notice = "\(rows[i].name): waiting for the first scrape" }
        case .sortNext, .sortPrevious:
            let all = FleetColumn.allCases
            let step = action == .sortNext ? 1 : all.count - 1
            fleetView.sort = all[(fleetView.sort.rawValue + step) % all.count]
            // Biggest first for figures, names and states in reading order.
            fleetView.descending = ![.host, .status].contains(fleetView.sort)
        case .sortReverse:
            fleetView.descending.toggle()
        case .filter:
            fleetView.filterBeforeEditing = fleetView.filter
            fleetView.editingFilter = fleetView.filter
        default:
            return nil
        }
        return []
    }
}

/// Typing a filter after `/` (the Processes pane, the fleet table): it applies as it is
/// typed; Enter keeps it, Esc puts back the one before.
enum FilterEdit {
    enum Outcome: Equatable {
        case editing(String)
        case kept(String)
        case dropped(String)
    }

    static func apply(_ key: Key, to text: String, before: String) -> Outcome {
        var text = text
        switch key {
        case .escape: return .dropped(before)
        case .enter: return .kept(text)
        case .backspace: if !text.isEmpty { text.removeLast() }
        case .character(let c): text.append(c)
        default: break
        }
        return .editing(text)
    }
}
