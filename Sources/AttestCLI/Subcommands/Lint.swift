import ArgumentParser
import AttestCore
import AttestImport
import Foundation

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a matrix for RACI anomalies: no Accountable party, several, a row nobody owns, unreadable letters.",
        discussion: "Exits 0 when there is no anomaly, 1 when there are, 2 when the file cannot be read as a matrix.")

    @Argument(help: ArgumentHelp("The matrix file.", valueName: "MATRIX"))
    var matrix: String

    @Option(help: ArgumentHelp("The customer's column header.", valueName: "NAME"))
    var party: String?

    @Option(help: ArgumentHelp("The column that holds the task text.", valueName: "NAME"))
    var taskColumn: String?

    @OptionGroup var output: FormatOptions

    func run() throws {
        let parsed = try MatrixReader(party: party, taskColumn: taskColumn, strict: false).read(contentsOf: URL(fileURLWithPath: matrix), path: matrix)
        let findings = MatrixLinter.lint(parsed)
        let notes = MatrixLinter.notes(parsed)
        if output.json {
            struct Finding: Encodable { var line: Int; var section: String; var task: String; var anomaly: String; var message: String }
            struct Note: Encodable { var line: Int; var section: String; var task: String; var message: String }
            struct Output: Encodable { var file: String; var rows: Int; var anomalies: [Finding]; var notes: [Note]; var skippedTables: [String] }
            try Console.printJSON(Output(
                file: matrix, rows: parsed.rows.count,
                anomalies: findings.map { Finding(line: $0.line, section: $0.section, task: $0.task, anomaly: $0.anomaly.code, message: $0.anomaly.description) },
                notes: notes.map { Note(line: $0.line, section: $0.section, task: $0.task, message: $0.message) },
                skippedTables: parsed.skipped.map(\.description)))
        } else {
            for finding in findings {
                Console.print("\(matrix):\(finding.line):1: \(Console.paint("warning:", .yellow)) \(finding.anomaly.description) (\(finding.anomaly.code)): \(finding.task)")
            }
            // Notes ask a person to check a reading; they do not make lint fail.
            for note in notes {
                Console.print("\(matrix):\(note.line):1: \(Console.paint("note:", .blue)) \(note.message): \(note.task)")
            }
            var summary = findings.isEmpty ? "no anomaly" : "\(findings.count) anomal\(findings.count == 1 ? "y" : "ies")"
            if !notes.isEmpty { summary += ", \(notes.count) note\(notes.count == 1 ? "" : "s") to check" }
            Console.print("\(matrix): \(parsed.rows.count) rows in \(parsed.tableCount) table\(parsed.tableCount == 1 ? "" : "s"), \(summary)")
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }
}
