import ArgumentParser
import AttestCore

struct NotApplicableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "na",
        abstract: "Mark an item not applicable, with a reason and an approver.")

    @Argument(help: ArgumentHelp("The item.", valueName: "ITEM"))
    var item: String

    @Option(help: ArgumentHelp("Why it does not apply.", valueName: "TEXT"))
    var reason: String

    @Option(help: ArgumentHelp("Who approved it.", valueName: "NAME"))
    var approvedBy: String

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var signing: SigningOptions

    func run() throws {
        let ledger = try location.ledger(readRecords: false)
        let recorder = try signing.recorder(for: ledger)
        let (record, path) = try recorder.markNotApplicable(
            item, reason: reason, approvedBy: approvedBy, by: actor.actor(in: ledger.store.workspace))
        Console.print("Marked \((record.item ?? "").visible) not applicable: \(path.visible)")
        SigningOptions.sayIfSigned(recorder, record, at: path)
    }
}
