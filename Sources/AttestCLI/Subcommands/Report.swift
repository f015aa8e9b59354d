import ArgumentParser
import AttestCore
import AttestReports
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the JUnit XML, markdown audit summary and OSCAL assessment results.",
        discussion: """
            Writes Reports/<checklist-id>.junit.xml, Reports/<checklist-id>.md and Reports/<checklist-id>.oscal-ar.json \
            (or into --out DIR), all or none: a failed write replaces no file. The same state and --as-of give the same \
            bytes, except the generator block (attest version, commit, clean tree). Exits 3, after writing, when an \
            attachment is missing or altered.

            --sign signs every file it writes (<file>.sig, SSHSIG in namespace attest-report, as --by, whose key \
            allowed_signers must list) in the same all-or-nothing swap, and the markdown prints the ssh-keygen -Y verify \
            command that checks it without attest. A report written without --sign removes the .sig of each file it replaces.
            """)

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var signing: SigningOptions

    @Option(help: ArgumentHelp("Folder for the reports (default: Reports/ at the workspace root).", valueName: "DIR"))
    var out: String?

    @Option(help: ArgumentHelp("Write only one report: junit, markdown or oscal.", valueName: "KIND"))
    var only: String?

    @Option(help: ArgumentHelp("Window for \"due soon\" in the markdown report (default: the checklist's, 30d).", valueName: "WINDOW"))
    var dueWithin: String?

    func validate() throws {
        if let only, ReportWriter.Kind(rawValue: only) == nil {
            throw ValidationError("--only \"\(only)\" is not a report; use junit, markdown or oscal")
        }
        if let dueWithin, Interval(dueWithin) == nil {
            throw ValidationError("--due-within \"\(dueWithin)\" is not a window; use 30d, 6w, 3m or 1y")
        }
    }

    func run() throws {
        let asOf = try time.date()
        let workspace = try location.locate()
        let directory = out.map { URL(fileURLWithPath: $0) } ?? workspace.reportsDirectory
        // The generator block asks git for the commit and whether the tree is clean, beside the reading.
        let inspection = Background { ReportGenerator.inspect(workspace, reportDirectory: directory) }
        let audited = try location.audited(in: workspace, asOf: asOf)
        let display = out ?? "Reports"
        if out == nil, let kind = SafeFile.kind(of: directory.path), kind != .directory {
            throw StoreError.notRegularFile(path: "Reports", kind: "\(kind.rawValue) where the reports folder belongs; remove it")
        }
        let kinds: Set<ReportWriter.Kind> = only.flatMap(ReportWriter.Kind.init).map { [$0] } ?? Set(ReportWriter.Kind.allCases)
        var states = audited.map(\.state)
        // Every integrity failure leads the reports (a broken item is also listed as an item).
        for index in states.indices { states[index].integrityProblems = audited[index].integrityProblems }
        let generator = inspection.value
        var reportSigning: ReportSigning?
        if signing.sign || signing.key != nil {
            let signer = try signing.signer(in: workspace, allowedSigners: audited[0].ledger.signatures.allowedSigners)
            let principal = actor.actor(in: workspace)
            reportSigning = ReportSigning(principal: principal) { bytes in
                // Signed for now: the auditor's ssh-keygen -Y verify checks the key at the time it runs.
                try signer.sign(bytes, as: principal, at: Date(), namespace: RecordSignature.reportNamespace, workspace: workspace)
            }
        }
        let written = try ReportWriter.write(states, to: directory, displayDirectory: display, kinds: kinds,
                                             window: dueWithin.flatMap(Interval.init), generator: generator, signing: reportSigning,
                                             temporaryDirectory: try workspace.temporaryDirectoryCreated())
        for state in states {
            let id = state.checklist.id
            Console.print("\(id): \(state.verdict.line); digest \(state.digest) as of \(Timestamp.format(state.asOf))")
            for path in written where path.hasPrefix("\(display)/\(id).") { Console.print("  wrote \(path.visible)") }
        }
        let problems = audited.flatMap(\.integrityProblems)
        if !problems.isEmpty { throw IntegrityError(problems: problems) }
    }
}
