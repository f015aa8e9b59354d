public import AttestCore
public import Foundation

/// Writes `<checklist-id>.junit.xml` and `<checklist-id>.md` for one evaluated checklist.
public enum ReportWriter {
    public enum Kind: String, CaseIterable, Sendable {
        case junit, markdown
    }

    /// Writes the chosen reports into `directory`; returns the paths written, as `displayDirectory/NAME`.
    public static func write(_ state: ChecklistState, to directory: URL, displayDirectory: String, kinds: Set<Kind>,
                             window: Interval? = nil) throws -> [String] {
        var written: [String] = []
        let id = state.checklist.id
        if kinds.contains(.junit) {
            let name = "\(id).junit.xml"
            try JUnitReport(states: [state]).write(to: directory.appendingPathComponent(name), displayPath: "\(displayDirectory)/\(name)")
            written.append("\(displayDirectory)/\(name)")
        }
        if kinds.contains(.markdown) {
            let name = "\(id).md"
            let markdown = MarkdownReport(state: state, window: window).render()
            // AtomicFile's own error names the report and says what to check.
            try AtomicFile.write(Data(markdown.utf8), to: directory.appendingPathComponent(name), mode: .replace,
                                 displayPath: "\(displayDirectory)/\(name)")
            written.append("\(displayDirectory)/\(name)")
        }
        return written
    }
}
