import AttestCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output: stdout for results, stderr for diagnostics; colour only on a terminal and never with NO_COLOR.
enum Console {
    enum Color: String {
        case red = "31", green = "32", yellow = "33", blue = "34", dim = "2", bold = "1"
    }

    nonisolated(unsafe) static var colorEnabled: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if environment["NO_COLOR"] != nil { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(STDOUT_FILENO) != 0
    }()

    static func paint(_ text: String, _ color: Color) -> String {
        colorEnabled ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Standard output is buffered here and written in large blocks; `flush` runs before exit and before
    /// anything goes to standard error, so that the two stay in order.
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    static func print(_ text: String = "") {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func error(_ text: String) {
        flush()
        clearProgress()
        writeAll(STDERR_FILENO, Array((text + "\n").utf8))
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

    /// Colours the `error:` / `warning:` word of a diagnostic on a terminal.
    static func highlightError(_ text: String) -> String {
        guard colorEnabled, isatty(STDERR_FILENO) != 0 else { return text }
        return text.replacingOccurrences(of: "error:", with: "\u{1B}[31merror:\u{1B}[0m")
    }

    static func warning(_ text: String) {
        error(colorEnabled && isatty(STDERR_FILENO) != 0 ? text.replacingOccurrences(of: "warning:", with: "\u{1B}[33mwarning:\u{1B}[0m") : text)
    }

    /// Prints an Encodable as pretty JSON with sorted keys.
    static func printJSON(_ value: some Encodable) throws {
        let data = try JSONCodingForOutput.encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
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
