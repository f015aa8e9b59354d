import ArgumentParser
import AttestCore

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Accept or reject another person's evidence.",
        discussion: "Where the checklist requires review (`attest settings --review-required true`), evidence counts only once accepted. Nobody reviews their own evidence.")

    @Argument(help: ArgumentHelp("The evidence record's ID, or an unambiguous part of it.", valueName: "EVIDENCE-ID"))
    var evidence: String

    @Flag(help: "Accept the evidence.")
    var accept = false

    @Flag(help: "Reject the evidence.")
    var reject = false

    @Option(help: ArgumentHelp("A comment for the audit trail.", valueName: "TEXT"))
    var comment: String?

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var signing: SigningOptions

    func validate() throws {
        if accept == reject { throw ValidationError("say --accept or --reject (one of them)") }
    }

    func run() throws {
        let ledger = try location.ledger()
        let recorder = try signing.recorder(for: ledger)
        let (record, path) = try recorder.review(
            evidence, decision: accept ? .accept : .reject, comment: comment, by: actor.actor(in: ledger.store.workspace))
        guard case .review(let body) = record.body else { return }
        Console.print("\(accept ? "Accepted" : "Rejected") \(body.target.visible) (\((record.item ?? "").visible)) by \(record.by.visible): \(path.visible)")
        SigningOptions.sayIfSigned(recorder, record, at: path)
    }
}
