public import Foundation

/// A directory with a `Checklists/` folder, usually a git repository.
public struct Workspace: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public var checklistsDirectory: URL { root.appendingPathComponent("Checklists") }
    public var reportsDirectory: URL { root.appendingPathComponent("Reports") }
    /// Caches and locks: never evidence, ignored by git.
    public var cacheDirectory: URL { root.appendingPathComponent(".attest") }

    /// Finds the workspace: `explicit` when given, else the current directory or the nearest parent
    /// with a `Checklists/` folder (as git finds `.git`).
    public static func locate(explicit: String?, from start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws -> Workspace {
        if let explicit {
            let url = URL(fileURLWithPath: explicit, relativeTo: start).standardizedFileURL
            guard isDirectory(url.appendingPathComponent("Checklists")) else { throw StoreError.noWorkspace(start: explicit) }
            return Workspace(root: url)
        }
        var candidate = start.standardizedFileURL
        while true {
            if isDirectory(candidate.appendingPathComponent("Checklists")) { return Workspace(root: candidate) }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        throw StoreError.noWorkspace(start: start.path)
    }

    /// Creates `Checklists/`, `Reports/` and a `.gitignore` line for `.attest/`; returns what it created.
    @discardableResult
    public static func initialize(at root: URL) throws -> [String] {
        var created: [String] = []
        let fileManager = FileManager.default
        for folder in ["Checklists", "Reports"] {
            let url = root.appendingPathComponent(folder)
            if !isDirectory(url) {
                do {
                    try fileManager.createDirectory(at: url, withIntermediateDirectories: true)
                } catch {
                    throw StoreError.writeFailed(path: url.path, detail: error.localizedDescription)
                }
                created.append(folder + "/")
            }
        }
        let gitignore = root.appendingPathComponent(".gitignore")
        let existing = (try? String(contentsOf: gitignore, encoding: .utf8)) ?? ""
        let lines = existing.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        if !lines.contains(where: { [".attest", ".attest/", "/.attest", "/.attest/"].contains($0) }) {
            var text = existing
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            text += "# attest: caches and locks, never evidence\n.attest/\n"
            try AtomicFile.write(Data(text.utf8), to: gitignore, mode: .replace, displayPath: ".gitignore")
            created.append(".gitignore (.attest/)")
        }
        return created
    }

    /// The checklist IDs present, sorted.
    public func checklistIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checklistsDirectory.path)) ?? []
        return names.filter {
            Checklist.isValidID($0)
                && FileManager.default.fileExists(atPath: checklistsDirectory.appendingPathComponent("\($0)/\(Checklist.fileName)").path)
        }.sorted()
    }

    /// The checklist a command acts on: the one named, or the only one.
    public func resolveChecklist(_ id: String?) throws -> String {
        let known = checklistIDs()
        if let id {
            guard known.contains(id) else { throw StoreError.unknownChecklist(id: id, known: known) }
            return id
        }
        switch known.count {
        case 0: throw StoreError.noChecklist(workspace: root.path)
        case 1: return known[0]
        default: throw StoreError.checklistRequired(known: known)
        }
    }

    /// The checklists a command that may take them all acts on.
    public func resolveChecklists(_ id: String?) throws -> [String] {
        if let id { return [try resolveChecklist(id)] }
        let known = checklistIDs()
        guard !known.isEmpty else { throw StoreError.noChecklist(workspace: root.path) }
        return known
    }

    public func store(for id: String) -> ChecklistStore { ChecklistStore(workspace: self, id: id) }

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
