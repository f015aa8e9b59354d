import ArgumentParser
import AttestCore
import Foundation

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List items with their kind and status.",
        discussion: "By default every current item; filter with --kind, --status or --required. Retired items show with --all.")

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var output: FormatOptions

    @Option(help: ArgumentHelp("Only items of this kind: \(ItemKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "KIND"))
    var kind: String?

    @Option(help: ArgumentHelp("Only items with this status: \(ItemStatus.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "STATUS"))
    var status: String?

    @Flag(help: "Only required items (obligations).")
    var required = false

    @Flag(help: "Include retired items.")
    var all = false

    func validate() throws {
        if let kind, ItemKind(rawValue: kind) == nil {
            throw ValidationError("--kind \"\(kind)\" is not a kind; use one of \(ItemKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let status, ItemStatus(rawValue: status) == nil {
            throw ValidationError("--status \"\(status)\" is not a status; use one of \(ItemStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let ledger = try location.ledger()
        let state = try ledger.evaluate(asOf: try time.date())
        let items = state.items.filter { item in
            (all || !item.item.retired || status == ItemStatus.retired.rawValue)
                && (kind == nil || item.item.kind.rawValue == kind)
                && (status == nil || item.status.rawValue == status)
                && (!required || item.required)
        }
        if output.json {
            struct Output: Encodable { var checklist: String; var asOf: Date; var items: [ItemJSON] }
            try Console.printJSON(Output(checklist: ledger.checklist.id, asOf: state.asOf, items: items.map { ItemJSON($0) }))
            return
        }
        if items.isEmpty {
            Console.print("No items match.")
            return
        }
        let idWidth = max(4, items.map(\.item.id.count).max() ?? 0)
        Console.print(Console.paint(Console.pad("ID", idWidth) + "  " + Console.pad("STATUS", 14) + Console.pad("KIND", 15)
            + Console.pad(state.customerParty.uppercased().prefix(8).description, 9) + "TASK", .bold))
        for item in items {
            let statusText = Console.pad(item.status.rawValue, 14)
            Console.print(Console.pad(item.item.id, idWidth) + "  " + Console.paint(statusText, Console.color(for: item.status.rawValue))
                + Console.pad(item.item.kind.rawValue, 15) + Console.pad(item.item.customerLetters.isEmpty ? "-" : item.item.customerLetters, 9)
                + item.item.task)
        }
    }
}
