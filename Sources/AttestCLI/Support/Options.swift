import ArgumentParser
import AttestCore
import Foundation

/// Where to act: the workspace and the checklist.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The workspace folder (default: found from the current directory upwards).", valueName: "DIR"))
    var workspace: String?

    @Option(name: .long, help: ArgumentHelp("The checklist, when the workspace has several.", valueName: "ID"))
    var checklist: String?

    func locate() throws -> Workspace { try Workspace.locate(explicit: workspace) }

    /// The one checklist a command acts on, loaded.
    func ledger(readRecords: Bool = true) throws -> Ledger {
        let workspace = try locate()
        return try Ledger.load(workspace.store(for: try workspace.resolveChecklist(checklist)), readRecords: readRecords)
    }

    /// Every checklist a command that may take them all acts on.
    func ledgers() throws -> [Ledger] {
        let workspace = try locate()
        return try workspace.resolveChecklists(checklist).map { try Ledger.load(workspace.store(for: $0)) }
    }
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
        if let email = gitEmail(in: directory), !email.isEmpty { return email }
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        return NSUserName().isEmpty ? "unknown" : NSUserName()
    }

    private static func gitEmail(in directory: URL?) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "config", "user.email"]
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
