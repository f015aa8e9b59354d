import AttestCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output: stdout for results, stderr for diagnostics; colour only on a terminal and never with NO_COLOR.
enum Console {
    enum Color: String {
        case red = "31", green = "32", yellow = "33", blue = "34", dim = "2", bold = "1"
    }

    nonisolated(unsafe) static var colorEnabled: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }  // no-color.org: set and not empty
        if environment["TERM"] == "dumb" { return false }
        return isatty(STDOUT_FILENO) != 0
    }()

    static func paint(_ text: String, _ color: Color) -> String {
        colorEnabled ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Standard output is buffered here and written in large blocks; `flush` runs before exit and before
    /// anything goes to standard error, so that the two stay in order.
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    /// Prints text for people. Fields from records and matrices are made visible where they are put in
    /// (`String.visible`, which also escapes line breaks); as a backstop, any control character left here
    /// other than a line feed and the colour codes of `paint` is shown escaped too, so that nothing printed
    /// can move the cursor or clear the screen.
    static func print(_ text: String = "") {
        buffer.append(contentsOf: terminalSafe(text).utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Exact bytes (JSON for scripts), with no escaping.
    private static func printExact(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// `text` with every escaped character of `VisibleText` other than line feeds and `ESC [ digits m`
    /// (a colour from `paint`) shown escaped.
    static func terminalSafe(_ text: String) -> String {
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", index + 1 < scalars.count, scalars[index + 1] == "[" {
                var end = index + 2
                while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
                if end < scalars.count, end > index + 2, scalars[end] == "m" {
                    result.append(contentsOf: scalars[index...end])
                    index = end + 1
                    continue
                }
            }
            if scalar != "\n" && VisibleText.isEscaped(scalar) {
                result.append(contentsOf: VisibleText.escape(scalar).unicodeScalars)
            } else {
                result.append(scalar)
            }
            index += 1
        }
        return String(result)
    }

    /// A diagnostic on standard error (`PATH: error: …`): every line's text escaped (`VisibleText`: an
    /// argument or a file name cannot write escape sequences to the terminal), then the word `error:`
    /// coloured when standard error is a terminal.
    static func error(_ text: String) {
        emit(text, word: "error:", .red)
    }

    static func warning(_ text: String) {
        emit(text, word: "warning:", .yellow)
    }

    /// Exit code 3's message.
    static func integrityFailure(_ text: String) {
        emit("integrity failure: " + text, word: "integrity failure:", .red)
    }

    private static func emit(_ text: String, word: String, _ color: Color) {
        flush()
        clearProgress()
        var safe = VisibleText.escapeKeepingLines(text)
        if colorEnabled && isatty(STDERR_FILENO) != 0 {
            safe = safe.replacingOccurrences(of: word, with: "\u{1B}[\(color.rawValue)m\(word)\u{1B}[0m")
        }
        writeAll(STDERR_FILENO, Array((safe + "\n").utf8))
    }

    /// A progress callback that rewrites one line of standard error, at most ten times a second, only
    /// when standard error is a terminal; nil otherwise.
    static func progressOnTerminal(_ line: @escaping @Sendable (Int) -> String) -> (@Sendable (Int) -> Void)? {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        let lastShown = Locked(0.0)
        return { done in
            let now = Date().timeIntervalSince1970
            guard lastShown.withLock({ last in
                guard now - last >= 0.1 else { return false }
                last = now
                return true
            }) else { return }
            let text = "\r" + line(done) + "\u{1B}[K"
            text.withCString { _ = write(STDERR_FILENO, $0, strlen($0)) }
        }
    }

    /// Erases a progress line, if standard error is a terminal.
    static func clearProgress() {
        if isatty(STDERR_FILENO) != 0 { writeAll(STDERR_FILENO, Array("\r\u{1B}[K".utf8)) }
    }

    static func flush() {
        guard !buffer.isEmpty else { return }
        writeAll(STDOUT_FILENO, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Prints an Encodable as pretty JSON with sorted keys, exactly (JSON escapes what it must itself).
    static func printJSON(_ value: some Encodable) throws {
        let data = try JSONCodingForOutput.encoder.encode(value)
        printExact(String(decoding: data, as: UTF8.self))
    }

    static func color(for status: String) -> Color {
        switch status {
        case "complete", "waived", "not-applicable": .green
        case "pending", "expired", "reconfirm": .yellow
        case "broken": .red
        default: .dim
        }
    }

    /// Pads to a display width (ASCII-aware; good enough for IDs and statuses).
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

enum JSONCodingForOutput {
    static let encoder: JSONEncoder = JSONCoding.encoder()
}
