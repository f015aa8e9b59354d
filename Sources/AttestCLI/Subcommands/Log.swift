import ArgumentParser
import AttestCore
import Foundation

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The audit trail: every record, oldest first, for the checklist or one item.")

    @Argument(help: ArgumentHelp("Only this item's records.", valueName: "ITEM"))
    var item: String?

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        let ledger = try location.ledger()
        let itemID = try item.map { try ledger.item($0).id }
        let records = ledger.timeline(item: itemID, asOf: time.asOf == nil ? nil : try time.date())
        if output.json {
            struct Output: Encodable { var checklist: String; var entries: [RecordJSON] }
            try Console.printJSON(Output(checklist: ledger.checklist.id, entries: records.map { RecordJSON($0) }))
            return
        }
        if records.isEmpty {
            Console.print("No records yet.")
            return
        }
        for record in records {
            Console.print(Console.paint(Timestamp.human(record.recordedAt), .dim) + "  \(Console.pad((record.item ?? "-").visible, 8))  "
                + "\(record.id.visible)  \(record.by.visible)  \(record.summary)")
        }
    }
}
