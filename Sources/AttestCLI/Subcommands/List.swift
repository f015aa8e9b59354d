import ArgumentParser
import AttestCore
import Foundation

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List items with their kind and status.",
        discussion: """
            By default every current item; filter with --kind, --status or --required. Retired items show with --all. \
            Items that are not required (consulted, informed, inherited, not applicable by the matrix) show \
            "-" as their status; --format json keeps their status and "required": false.
            """)

    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var output: FormatOptions

    @Option(help: ArgumentHelp("Only items of this kind: \(ItemKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "KIND"))
    var kind: String?

    @Option(help: ArgumentHelp("Only items showing this status: \(ItemStatus.allCases.map(\.rawValue).joined(separator: ", ")) (items not required show none; --kind finds them).", valueName: "STATUS"))
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
                // The status as listed: an item not required shows none (find those with --kind).
                && (status == nil || ((item.required || item.item.retired) && item.status.rawValue == status))
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
            + Console.pad(state.customerParty.uppercased().prefix(8).description.visible, 9) + "TASK", .bold))
        for item in items {
            let shown = item.required || item.item.retired ? item.status.rawValue : "-"
            Console.print(Console.pad(item.item.id.visible, idWidth) + "  " + Console.paint(Console.pad(shown, 14), Console.color(for: shown))
                + Console.pad(item.item.kind.rawValue, 15) + Console.pad(item.item.customerLetters.isEmpty ? "-" : item.item.customerLetters.visible, 9)
                + item.item.task.visible)
        }
    }
}
