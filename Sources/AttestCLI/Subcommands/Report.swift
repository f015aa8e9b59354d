import ArgumentParser
import AttestCore
import AttestReports
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the JUnit XML and markdown audit reports.",
        discussion: """
            Writes Reports/<checklist-id>.junit.xml and Reports/<checklist-id>.md (or into --out DIR). The same \
            workspace and --as-of give the same bytes. Exits 3, after writing both, when an attachment is missing \
            or altered.
            """)

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions

    @Option(help: ArgumentHelp("Folder for the reports (default: Reports/ at the workspace root).", valueName: "DIR"))
    var out: String?

    @Option(help: ArgumentHelp("Write only one report: junit or markdown.", valueName: "KIND"))
    var only: String?

    @Option(help: ArgumentHelp("Window for \"due soon\" in the markdown report (default: the checklist's, 30d).", valueName: "WINDOW"))
    var dueWithin: String?

    func validate() throws {
        if let only, ReportWriter.Kind(rawValue: only) == nil {
            throw ValidationError("--only \"\(only)\" is not a report; use junit or markdown")
        }
        if let dueWithin, Interval(dueWithin) == nil {
            throw ValidationError("--due-within \"\(dueWithin)\" is not a window; use 30d, 6w, 3m or 1y")
        }
    }

    func run() throws {
        let asOf = try time.date()
        let audited = try location.audited(asOf: asOf)
        let workspace = audited[0].ledger.store.workspace
        let directory = out.map { URL(fileURLWithPath: $0) } ?? workspace.reportsDirectory
        let display = out ?? "Reports"
        let kinds: Set<ReportWriter.Kind> = only.flatMap(ReportWriter.Kind.init).map { [$0] } ?? Set(ReportWriter.Kind.allCases)
        var broken: [String] = []
        for checked in audited {
            let ledger = checked.ledger
            let state = checked.state
            let written = try ReportWriter.write(state, to: directory, displayDirectory: display, kinds: kinds,
                                                 window: dueWithin.flatMap(Interval.init))
            let verdict = state.passes ? "pass" : "fail"
            Console.print("\(ledger.checklist.id): \(verdict), \(state.blocking.count) of \(state.required.count) obligations unsatisfied; "
                + "digest \(state.digest) as of \(Timestamp.format(state.asOf))")
            for path in written { Console.print("  wrote \(path)") }
            broken += checked.integrityProblems
        }
        if !broken.isEmpty { throw IntegrityError(problems: broken) }
    }
}
