import ArgumentParser
import AttestCore
import Foundation

struct Gate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fail (exit 1) while any required item is unsatisfied; exit 3 when evidence is broken.",
        discussion: """
            Satisfied means complete, waived or not applicable. Pending, expired and reconfirm items block. \
            A missing or altered attachment is an integrity failure (exit 3). Run it in CI after `attest report`.
            """)

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        let asOf = try time.date()
        let audited = try location.audited(asOf: asOf)
        let states = audited.map(\.state)
        let problems = audited.flatMap(\.integrityProblems)
        let passes = states.allSatisfy(\.passes)
        if output.json {
            struct Output: Encodable { var passes: Bool; var integrityFailure: Bool; var checklists: [StatusJSON] }
            try Console.printJSON(Output(passes: passes, integrityFailure: !problems.isEmpty,
                                         checklists: states.map { StatusJSON($0, window: $0.settings.dueSoonWindow) }))
        } else {
            for state in states { printSummary(state) }
        }
        for warning in audited.flatMap(\.audit.warnings) { Console.warning(warning) }
        if !problems.isEmpty { throw IntegrityError(problems: problems) }
        if !passes { throw ExitCode(1) }
    }

    private func printSummary(_ state: ChecklistState) {
        let id = state.checklist.id
        let blocking = state.blocking
        if blocking.isEmpty {
            Console.print(Console.paint("PASS", .green) + " \(id): all \(state.required.count) obligations satisfied as of \(Timestamp.human(state.asOf))")
            return
        }
        Console.print(Console.paint("FAIL", .red) + " \(id): \(blocking.count) of \(state.required.count) obligations unsatisfied as of \(Timestamp.human(state.asOf))")
        let shown = blocking.prefix(20)
        for item in shown {
            let (missing, fix) = item.explanation(checklist: id)
            Console.print("  " + Console.paint(Console.pad(item.status.rawValue, 10), Console.color(for: item.status.rawValue))
                + "\(item.item.id)  \(item.item.task)")
            Console.print(Console.paint("            \(missing) → \(fix)", .dim))
        }
        if blocking.count > shown.count { Console.print("  … and \(blocking.count - shown.count) more: attest status --checklist \(id)") }
    }
}
