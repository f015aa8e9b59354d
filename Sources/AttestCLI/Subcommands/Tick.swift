import ArgumentParser
import AttestCore
import Foundation

struct Tick: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record evidence that an obligation is met.",
        discussion: """
            Files are copied into the checklist's content-addressed store (by SHA-256; the same file twice is stored \
            once). A large file kept elsewhere is recorded as --ref URL --sha256 HEX; a ticket or dashboard as --link URL.
            """)

    @Argument(help: ArgumentHelp("The item: ID, number or part of its task's words.", valueName: "ITEM"))
    var item: String

    @Option(name: .customLong("file"), help: ArgumentHelp("A file to attach (repeatable).", valueName: "PATH"))
    var files: [String] = []

    @Option(name: .customLong("link"), help: ArgumentHelp("A URL with no hash: a ticket, a dashboard (repeatable).", valueName: "URL"))
    var links: [String] = []

    @Option(name: .customLong("ref"), help: ArgumentHelp("A large file kept elsewhere, with --sha256 (repeatable, in pairs).", valueName: "URL"))
    var references: [String] = []

    @Option(name: .customLong("sha256"), help: ArgumentHelp("The SHA-256 of the --ref file.", valueName: "HEX"))
    var hashes: [String] = []

    @Option(help: ArgumentHelp("What the evidence shows.", valueName: "TEXT"))
    var note: String?

    @Option(help: ArgumentHelp("When the evidence took effect (default: now); may be in the past.", valueName: "DATE"))
    var effective: String?

    @Flag(help: "Accept an --effective date in the future: the evidence counts only from that date on.")
    var allowFuture = false

    @Option(help: ArgumentHelp("Last day (or instant) the evidence is valid.", valueName: "DATE"))
    var validUntil: String?

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var signing: SigningOptions

    func validate() throws {
        if references.count != hashes.count {
            throw ValidationError("each --ref URL needs its --sha256 HEX (got \(references.count) --ref and \(hashes.count) --sha256)")
        }
    }

    func run() throws {
        let ledger = try location.ledger(readRecords: false)
        let input = Recorder.TickInput(
            item: item,
            files: files.map { Recorder.FileInput(path: URL(fileURLWithPath: $0).path, displayName: $0) },
            links: links,
            references: zip(references, hashes).map { ExternalReference(url: $0, sha256: $1) },
            note: note, by: actor.actor(in: ledger.store.workspace),
            effective: try effective.map { try DateArgument.parse($0, option: "--effective") },
            validUntil: try validUntil.map { try DateArgument.parse($0, option: "--valid-until", bound: true) },
            allowFuture: allowFuture, effectiveText: effective, validUntilText: validUntil)
        let recorder = try signing.recorder(for: ledger)
        let (record, path) = try recorder.tick(input)
        guard case .evidence(let evidence) = record.body else { return }
        Console.print("Recorded \(record.id) for \(record.item ?? "") by \(record.by.visible): \(path.visible)")
        SigningOptions.sayIfSigned(recorder, record, at: path)
        for attachment in evidence.attachments {
            let named = attachment.extensionMediaType.map { " (its name suggests \($0))" } ?? ""
            Console.print("  \(attachment.name.visible)  \(Wording.count(Int(attachment.size), "byte"))  \(attachment.mediaType)\(named)  sha256 \(attachment.sha256)")
        }
        if evidence.effective > record.recordedAt {
            Console.print("  \(Wording.notYetEffective(until: evidence.effective)): it counts only from then on")
        }
        if let until = evidence.validUntil { Console.print("  valid through \(Timestamp.through(until))") }
        if let item = try? ledger.item(record.item ?? ""), !item.isRequired {
            Console.print("  note: \(item.id) is \(item.kind.rawValue), not an obligation; the evidence is kept but nothing required it")
        }
    }
}
