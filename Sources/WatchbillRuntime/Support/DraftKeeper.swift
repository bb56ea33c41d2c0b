#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillCollectors
import WatchbillScreen

/// Keeps an unsaved prompt (a note half typed) in `$XDG_STATE_HOME/watchbill/draft`: at
/// most once a second while it changes, and whenever the dashboard stops. The next start
/// opens it again; saving or cancelling it removes the file.
public struct DraftKeeper {
    public let log: Logger
    private var written: String?
    private var writtenAt = -Double.infinity

    public init(log: Logger) { self.log = log }

    public static var path: String { FileLog.stateDirectory() + "/draft" }

    public mutating func restore(into state: inout AppState) {
        guard let bytes = ProcRoot("/").read(DraftKeeper.path, limit: 1 << 20), let form = FormDraft.decode(String(decoding: bytes, as: UTF8.self))
        else { return }
        state.alertView.form = form
        state.notice = "your unsaved \(form.title.lowercased()) is back: Enter saves it, Esc drops it"
        written = FormDraft.encode(form)
        log.info("draft restored from \(DraftKeeper.path)")
    }

    public mutating func keep(_ state: AppState, force: Bool = false) {
        let text = state.alertView.form.flatMap(FormDraft.encode)
        guard text != written else { return }
        guard let text else {
            unlink(DraftKeeper.path)
            written = nil
            return
        }
        let now = Clock.monotonic()
        guard force || now - writtenAt >= 1 else { return }
        if let error = AtomicFile.write(Array(text.utf8), to: DraftKeeper.path) {
            log.warning("\(DraftKeeper.path): \(error)")
            return
        }
        written = text
        writtenAt = now
    }
}
