#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// Every text a command prints goes through here (this module's `print` for strings is
/// chosen over the standard one): label values, annotations and notes are other people's
/// bytes, and an ESC among them would act on the reader's terminal. JSON escapes its own.
func print(_ text: String, terminator: String = "\n") {
    Swift.print(PlainText.safe(text), terminator: terminator)
}

/// An error line to stderr, made safe the same way (a garbage page's line is quoted in it).
func printError(_ line: String) {
    let bytes = Array((PlainText.safe(line) + "\n").utf8)
    _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
}
