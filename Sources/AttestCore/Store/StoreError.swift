public import Foundation

/// What can go wrong reading or writing a workspace. Messages read like compiler diagnostics:
/// `PATH:LINE:COL: error: what is wrong`, then what to do.
public enum StoreError: Error, LocalizedError, Sendable, Equatable {
    /// No workspace found from the current directory upwards.
    case noWorkspace(start: String)
    case noChecklist(workspace: String)
    case unknownChecklist(id: String, known: [String])
    case checklistRequired(known: [String])
    case invalidChecklistID(String)
    /// A JSON file that does not parse or does not match its schema.
    case malformed(path: String, line: Int?, column: Int?, detail: String)
    /// A record written by a newer attest.
    case newerSchema(path: String, version: String)
    case unreadable(path: String, detail: String)
    /// A FIFO, device, socket, directory or symbolic link where attest reads only regular files.
    case notRegularFile(path: String, kind: String)
    /// A file past one of attest's size limits.
    case tooLarge(path: String, what: String, size: Int, limit: Int)
    case writeFailed(path: String, detail: String)
    /// A record's file name was taken (two record IDs collided).
    case recordExists(path: String)
    case unknownItem(reference: String, suggestions: [String])
    case ambiguousItem(reference: String, candidates: [String])
    case unknownRecord(reference: String, suggestions: [String])
    case ambiguousRecord(reference: String, candidates: [String])
    case invalidInput(String)
    /// Two import records follow the same predecessor: imports in two clones.
    case importFork(paths: [String])

    public var errorDescription: String? {
        switch self {
        case .noWorkspace(let start):
            return "\(start): error: not inside an attest workspace (no Checklists/ folder here or above); run `attest init` here, or pass --workspace DIR"
        case .noChecklist(let workspace):
            return "\(workspace)/Checklists: error: no checklist yet; import a matrix with `attest import MATRIX --checklist ID`"
        case .unknownChecklist(let id, let known):
            return "error: no checklist \"\(id.visible)\"" + (known.isEmpty ? "; import one with `attest import MATRIX --checklist \(id)`" : "; the workspace has: \(known.joined(separator: ", "))")
        case .checklistRequired(let known):
            return "error: the workspace has several checklists (\(known.joined(separator: ", "))); say which with --checklist ID"
        case .invalidChecklistID(let id):
            return "error: \"\(id.visible)\" is not a checklist ID; use lowercase letters, digits and hyphens (e.g. adobe-commerce-cloud-service)"
        case .malformed(let path, let line, let column, let detail):
            return "\(Self.location(path, line, column)): error: \(detail); fix or remove the file (records are never rewritten by attest: a correction is a new record)"
        case .newerSchema(let path, let version):
            return "\(path): error: schemaVersion \(version) is newer than this attest reads (\(Record.supportedMajor).x); upgrade attest"
        case .unreadable(let path, let detail):
            return "\(path): error: cannot read: \(detail); check that it exists and that you may read it (ls -l)"
        case .notRegularFile(let path, let kind):
            return "\(path): error: not a regular file (\(kind)); attest reads only regular files here: replace it with the file itself, or remove it"
        case .tooLarge(let path, let what, let size, let limit):
            return "\(path): error: \(size) bytes is over the limit of \(ByteCount.describe(limit)) for a \(what); this is not a file attest writes: remove it, or split it"
        case .writeFailed(let path, let detail):
            return "\(path): error: could not write: \(detail); nothing was recorded. \(Self.writeRemedy)"
        case .recordExists(let path):
            return "\(path): error: a record of that name exists already and records are never overwritten; run the command again for a new record ID"
        case .unknownItem(let reference, let suggestions):
            return "error: no item matches \"\(reference.visible)\"" + Self.didYouMean(suggestions) + "; `attest list` shows the items"
        case .ambiguousItem(let reference, let candidates):
            return "error: \"\(reference.visible)\" matches several items: \(candidates.joined(separator: ", ")); use the ID"
        case .unknownRecord(let reference, let suggestions):
            return "error: no record has the ID \"\(reference.visible)\"" + Self.didYouMean(suggestions) + "; `attest show ITEM` lists an item's records"
        case .ambiguousRecord(let reference, let candidates):
            return "error: \"\(reference.visible)\" matches several records: \(candidates.joined(separator: ", ")); give more of the ID"
        case .invalidInput(let message):
            return "error: " + message
        case .importFork(let paths):
            return "\(paths.first ?? ""): error: the item table forked: \(paths.joined(separator: " and ")) follow the same import "
                + "(imports in two clones); import the matrix again (attest import MATRIX --checklist ID) to resolve it: the new import follows both"
        }
    }

    /// What to check when a write fails.
    public static let writeRemedy = "Check free space (df -h), permissions and the file-size limit (ulimit -f), then run the command again"

    public static func location(_ path: String, _ line: Int?, _ column: Int?) -> String {
        guard let line else { return path }
        return "\(path):\(line):\(column ?? 1)"
    }

    static func didYouMean(_ suggestions: [String]) -> String {
        suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "\($0)" }.joined(separator: " or "))?)"
    }
}

/// An attachment that is missing or no longer matches its hash, or a digest that no longer matches:
/// exit code 3, not 2.
public struct IntegrityError: Error, LocalizedError, Sendable {
    public var problems: [String]
    /// What to do about them.
    public var remedy: String

    public init(problems: [String], remedy: String = IntegrityError.remedy) {
        self.problems = problems
        self.remedy = remedy
    }

    /// For any mix of problems: stored files altered or missing, records edited, history rewritten.
    public static let remedy = "Restore what changed from git (in the workspace: git checkout -- Checklists), or record corrections "
        + "(attest revoke RECORD-ID --reason TEXT, then tick, waive or import again); attest verify lists every problem and its file"

    public var errorDescription: String? { (problems + [remedy]).joined(separator: "\n") }
}

/// "1 MiB", "128 MiB": how limits are named in messages.
public enum ByteCount {
    public static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
