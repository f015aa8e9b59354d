import ArgumentParser
import AttestCore

struct Waive: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Waive an obligation until a date, with a reason and an approver.",
        discussion: "The waiver ends at the start of the day after --until (UTC). A date in the past is refused.")

    @Argument(help: ArgumentHelp("The item.", valueName: "ITEM"))
    var item: String

    @Option(help: ArgumentHelp("Why it is waived.", valueName: "TEXT"))
    var reason: String

    @Option(help: ArgumentHelp("Who approved the waiver.", valueName: "NAME"))
    var approvedBy: String

    @Option(help: ArgumentHelp("Last day of the waiver (YYYY-MM-DD) or an RFC 3339 instant.", valueName: "DATE"))
    var until: String

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var signing: SigningOptions

    func run() throws {
        let ledger = try location.ledger(readRecords: false)
        let recorder = try signing.recorder(for: ledger)
        let (record, path) = try recorder.waive(
            item, reason: reason, approvedBy: approvedBy, until: try DateArgument.parse(until, option: "--until", bound: true),
            by: actor.actor(in: ledger.store.workspace))
        guard case .waiver(let body) = record.body else { return }
        Console.print("Waived \(record.item ?? "") through \(Timestamp.through(body.until)) (approved by \(body.approvedBy.visible)): \(path.visible)")
        SigningOptions.sayIfSigned(recorder, record, at: path)
    }
}
