import ArgumentParser
import AttestCore
import AttestImport
import Foundation

/// Where to act: the workspace and the checklist.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The workspace folder (default: found from the current directory upwards).", valueName: "DIR"))
    var workspace: String?

    @Option(name: .long, help: ArgumentHelp(
        "The checklist's ID (import: always; other commands: when the workspace has several).", valueName: "ID"))
    var checklist: String?

    /// The workspace; a `--workspace` that is missing or not a workspace is named as typed.
    func locate() throws -> Workspace {
        if let workspace {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: workspace, isDirectory: &isDirectory) else {
                throw StoreError.invalidInput("--workspace \(workspace): no such folder; give the folder that holds Checklists/, "
                    + "or create a workspace there with `attest init \(workspace)`")
            }
            guard isDirectory.boolValue else {
                throw StoreError.invalidInput("--workspace \(workspace) is a file; give the workspace's folder (the one that holds Checklists/)")
            }
            guard FileManager.default.fileExists(atPath: URL(fileURLWithPath: workspace).appendingPathComponent("Checklists").path) else {
                throw StoreError.invalidInput("--workspace \(workspace) is not an attest workspace (it has no Checklists/ folder); "
                    + "give the workspace's folder, or make this one a workspace with `attest init \(workspace)`")
            }
        }
        return try Workspace.locate(explicit: workspace)
    }

    /// The one checklist a command acts on, loaded.
    func ledger(readRecords: Bool = true) throws -> Ledger {
        let workspace = try locate()
        return try Ledger.load(workspace.store(for: try workspace.resolveChecklist(checklist)), readRecords: readRecords)
    }

    /// Every checklist a command that may take them all acts on.
    func ledgers(strict: Bool = true) throws -> [Ledger] {
        let workspace = try locate()
        return ProcessLifetime.keep(try workspace.resolveChecklists(checklist).map { try Ledger.load(workspace.store(for: $0), strict: strict) })
    }

    /// Every checklist with the checks that `gate` and `report` run before they answer (hashes of attachments
    /// and sources, the item table against its source, the working tree against HEAD), evaluated at `asOf`.
    /// Input errors come back as one error (exit 2) unless there is an integrity failure, which wins (exit 3).
    func audited(asOf: Date) throws -> [AuditedState] {
        try audited(in: locate(), asOf: asOf)
    }

    func audited(in workspace: Workspace, asOf: Date) throws -> [AuditedState] {
        // The git checks run beside the reading (at 10^5 records, git's look at the working tree takes about as
        // long as attest's own reading). Their findings count even when the checklist can no longer be read:
        // a committed import record deleted is an integrity failure, not an input error.
        let gitCheck = Background { [checklist] in LedgerAudit.git(workspace, checklist: checklist) }
        var results: [AuditedState] = []
        var loadErrors: [String] = []
        for id in try workspace.resolveChecklists(checklist) {
            do {
                let ledger = try Ledger.load(workspace.store(for: id), strict: false)
                var audit = LedgerAudit.run(ledger, asOf: asOf, depth: .gate, deriver: TableDeriver())
                if results.isEmpty { audit.add(gitCheck.value) }
                results.append(AuditedState(ledger: ledger, audit: audit, state: try ledger.evaluate(asOf: asOf, table: audit.derivedTable)))
            } catch {
                loadErrors.append((error as? any LocalizedError)?.errorDescription ?? "\(error)")
            }
        }
        let git = gitCheck.value
        if results.isEmpty && !git.audit.problems.isEmpty { throw IntegrityError(problems: git.audit.problems) }
        let inputErrors = loadErrors + results.flatMap(\.inputErrors)
        if !inputErrors.isEmpty && results.allSatisfy({ $0.integrityProblems.isEmpty }) && git.audit.problems.isEmpty {
            throw InputErrors(messages: inputErrors)
        }
        if !loadErrors.isEmpty { throw IntegrityError(problems: results.flatMap(\.integrityProblems) + git.audit.problems + loadErrors) }
        return ProcessLifetime.keep(results)
    }
}

/// A checklist evaluated after the checks that its verdict depends on.
struct AuditedState {
    var ledger: Ledger
    var audit: LedgerAudit
    var state: ChecklistState

    /// Integrity failures: the audit's and every broken item's whose stored files are there but altered or missing.
    var integrityProblems: [String] {
        audit.problems + state.broken.filter { !$0.brokenOnlyByLinks }
            .map { "\(state.checklist.id) \($0.item.id): \($0.explanation(checklist: state.checklist.id).missing)" }
    }

    /// Input errors: a link or device where a stored attachment belongs (exit 2, not 3).
    var inputErrors: [String] {
        audit.inputErrors + state.broken.filter(\.brokenOnlyByLinks).flatMap { item in
            item.evidence.flatMap(\.damagedAttachments).map {
                "\(state.checklist.id) \(item.item.id): attachment \($0.attachment.name) (\($0.attachment.sha256.prefix(12))) is \($0.check.problem); "
                    + "replace it with the file itself (attest verify names its path)"
            }
        }
    }
}

/// Several input errors at once (exit 2): every command collects what it finds.
struct InputErrors: Error, LocalizedError {
    var messages: [String]
    var errorDescription: String? { messages.joined(separator: "\n") }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text for people, json for scripts.")
    var format: OutputFormat = .text

    var json: Bool { format == .json }
}

/// `--as-of DATE`: only records recorded at or before it count; validity is judged at it.
struct TimeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Evaluate as of this time: YYYY-MM-DD (the whole UTC day) or RFC 3339. Default: now.", valueName: "DATE"))
    var asOf: String?

    func date() throws -> Date {
        guard let asOf else { return Date() }
        return try DateArgument.parse(asOf, option: "--as-of").asOf
    }
}

/// `--by NAME`: the person acting.
struct ActorOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Who is acting (default: git's user.email, else the login name).", valueName: "NAME"))
    var by: String?

    func actor(in workspace: Workspace?) -> String { by ?? Identity.current(in: workspace?.root) }
}

enum DateArgument {
    /// A date option's value. As an upper `bound` (`--valid-until`, `--until`) a day lasts until the next day's
    /// 00:00Z, which must be a date attest can write too: `9999-12-31` is refused there, since its end is in
    /// year 10000, which no record can hold.
    static func parse(_ text: String, option: String, bound: Bool = false) throws -> Timestamp.Value {
        guard let value = Timestamp.parse(text) else {
            if Timestamp.isOutsideRange(text) {
                throw ValidationError("\(option) \"\(text.visible)\" is outside \(Timestamp.rangeDescription)")
            }
            throw ValidationError("\(option) \"\(text.visible)\" is not a date; use YYYY-MM-DD (UTC) or RFC 3339 such as 2026-11-27T14:30:00Z")
        }
        if bound, !Timestamp.isRepresentable(value.endExclusive) {
            throw ValidationError("\(option) \"\(text.visible)\" ends in year 10000, past \(Timestamp.rangeDescription); use 9999-12-30 or an earlier date")
        }
        return value
    }
}

/// Who is acting when `--by` is not given.
enum Identity {
    static func current(in directory: URL?) -> String {
        if let email = Git.config("user.email", in: directory) { return email }
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        return NSUserName().isEmpty ? "unknown" : NSUserName()
    }
}
