public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory with a `Checklists/` folder, usually a git repository.
public struct Workspace: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    /// What git says of the workspace, asked once for this value and its copies: one launch of git serves a
    /// command's ledger checks and its report's generator block.
    public var git: Git.Lookup {
        gitLookup.withLock { known in
            if let known { return known }
            let lookup = Git.lookup(root)
            known = lookup
            return lookup
        }
    }

    private let gitLookup = Locked<Git.Lookup?>(nil)

    public var checklistsDirectory: URL { root.appendingPathComponent("Checklists") }
    public var reportsDirectory: URL { root.appendingPathComponent("Reports") }
    /// Caches and locks: never evidence, ignored by git.
    public var cacheDirectory: URL { root.appendingPathComponent(".attest") }
    /// Temporary files of writes under way: a kill leaves them where git does not look.
    public var temporaryDirectory: URL { cacheDirectory.appendingPathComponent("tmp") }

    /// `.attest/`, created when missing; it must be a real folder (never a link that leads writes elsewhere).
    public func cacheDirectoryCreated() throws -> URL {
        try Self.realDirectory(cacheDirectory, display: ".attest")
        return cacheDirectory
    }

    /// `.attest/tmp/`, created when missing, with files older than an hour (left by a killed write) removed.
    public func temporaryDirectoryCreated() throws -> URL {
        _ = try cacheDirectoryCreated()
        try Self.realDirectory(temporaryDirectory, display: ".attest/tmp")
        removeStaleTemporaryFiles()
        return temporaryDirectory
    }

    /// Removes temporary files older than an hour: no write takes that long, so their writer was killed.
    /// Only in a real `.attest/tmp` (a link there, or at `.attest`, could lead anywhere: then nothing is
    /// touched, and the writing command refuses the link), only files and links (never followed). A file
    /// with another link (a report's backup of an old report, made seconds ago but with the old file's
    /// modification time) goes only once its status, which the linking changed, is that old too.
    public func removeStaleTemporaryFiles(olderThan age: TimeInterval = 3600) {
        guard SafeFile.kind(of: cacheDirectory.path) == .directory, SafeFile.kind(of: temporaryDirectory.path) == .directory else { return }
        let limit = Int(Date().addingTimeInterval(-age).timeIntervalSince1970)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory.path)) ?? [] {
            let path = temporaryDirectory.path + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, [S_IFREG, S_IFLNK].contains(info.st_mode & S_IFMT), Int(info.st_mtim.tv_sec) < limit,
                  info.st_nlink <= 1 || Int(info.st_ctim.tv_sec) < limit else { continue }
            unlink(path)
        }
    }

    /// Checks that every folder from the workspace root down to `relative`'s folder under `base` that exists
    /// is a real folder: `Checklists/`, `Checklists/<id>/` and below must never be links leading elsewhere.
    public func requireRealDirectories(below base: URL, for relative: String) throws {
        var current = root.path
        let baseParts = base.path.hasPrefix(root.path + "/") ? base.path.dropFirst(root.path.count + 1).split(separator: "/") : []
        let parts = baseParts + relative.split(separator: "/").dropLast()
        var shown: [Substring] = []
        for part in parts {
            current += "/" + part
            shown.append(part)
            switch SafeFile.kind(of: current) {
            case nil: return
            case .directory?: continue
            case let kind?:
                throw StoreError.notRegularFile(path: shown.joined(separator: "/"), kind: "\(kind.rawValue) where a folder belongs; attest writes only into real folders")
            }
        }
    }

    static func realDirectory(_ url: URL, display: String) throws {
        switch SafeFile.kind(of: url.path) {
        case .directory?: return
        case nil:
            if mkdir(url.path, 0o755) != 0 && errno != EEXIST {
                throw StoreError.writeFailed(path: display, detail: SafeFile.describe(errno: errno))
            }
            guard SafeFile.kind(of: url.path) == .directory else {
                throw StoreError.notRegularFile(path: display, kind: "not a folder")
            }
        case let kind?:
            throw StoreError.notRegularFile(path: display, kind: "\(kind.rawValue) where a folder belongs; remove it")
        }
    }

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

    /// Creates `Checklists/`, `Reports/`, a `.gitignore` line for `.attest/` and `.gitattributes` lines that keep
    /// git from rewriting bytes that hashes and signatures cover; returns what it created. A failure removes
    /// the folders it made.
    @discardableResult
    public static func initialize(at root: URL) throws -> [String] {
        var created: [String] = []
        var madeFolders: [URL] = []
        do {
            for folder in ["Checklists", "Reports"] {
                let url = root.appendingPathComponent(folder)
                if SafeFile.kind(of: url.path) != .directory {
                    madeFolders += AtomicFile.missingAncestors(of: url)
                    try realDirectory(url, display: folder + "/")
                    created.append(folder + "/")
                }
            }
            if try appendMissingLines(to: root.appendingPathComponent(".gitignore"), display: ".gitignore",
                                      lines: ["# attest: caches, locks and temporary files, never evidence", ".attest/"],
                                      present: { [".attest", ".attest/", "/.attest", "/.attest/"].contains($0) }) {
                created.append(".gitignore (.attest/)")
            }
            if try appendMissingLines(to: root.appendingPathComponent(".gitattributes"), display: ".gitattributes",
                                      lines: ["# attest: hashes and signatures cover these bytes; git must never convert them",
                                              "Checklists/** -text", "allowed_signers -text"],
                                      present: { $0.hasPrefix("Checklists/** ") && $0.contains("-text") }) {
                created.append(".gitattributes (Checklists/** -text)")
            }
        } catch {
            AtomicFile.removeFolders(madeFolders)
            throw error
        }
        return created
    }

    /// Appends `lines` to a text file unless a line of it passes `present`; true when it wrote.
    private static func appendMissingLines(to url: URL, display: String, lines: [String], present: (String) -> Bool) throws -> Bool {
        let existing = SafeFile.kind(of: url.path) == nil ? "" : String(decoding: try SafeFile.read(url.path, display: display, limit: 1 << 20), as: UTF8.self)
        if existing.split(whereSeparator: \.isNewline).contains(where: { present($0.trimmingCharacters(in: .whitespaces)) }) { return false }
        var text = existing
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += lines.joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(text.utf8), to: url, mode: .replace, displayPath: display)
        return true
    }

    /// The checklist IDs present, sorted.
    public func checklistIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checklistsDirectory.path)) ?? []
        return names.filter {
            Identifier.isChecklistID($0)
                && SafeFile.kind(of: checklistsDirectory.path + "/" + $0) == .directory
        }.sorted()
    }

    /// The checklist a command acts on: the one named, or the only one.
    public func resolveChecklist(_ id: String?) throws -> String {
        if let problem = checklistFolderProblems().first { throw problem }
        let known = checklistIDs()
        if let id {
            guard Identifier.isChecklistID(id) else { throw StoreError.invalidChecklistID(id) }
            guard known.contains(id) else { throw StoreError.unknownChecklist(id: id, known: known) }
            return id
        }
        switch known.count {
        case 0: throw StoreError.noChecklist(workspace: root.path)
        case 1: return known[0]
        default: throw StoreError.checklistRequired(known: known)
        }
    }

    /// Entries of `Checklists/` that are not real folders: a link there could lead every read and write elsewhere.
    public func checklistFolderProblems() -> [StoreError] {
        ChecklistStore.entries(of: checklistsDirectory.path).compactMap { name, kind in
            kind == .directory || (kind == .regular && !Identifier.isChecklistID(name)) ? nil
                : StoreError.notRegularFile(path: "Checklists/\(name)", kind: "\(kind.rawValue) where a checklist folder belongs")
        }
    }

    /// The checklists a command that may take them all acts on.
    public func resolveChecklists(_ id: String?) throws -> [String] {
        if let problem = checklistFolderProblems().first { throw problem }
        if SafeFile.kind(of: checklistsDirectory.path) != .directory {
            throw StoreError.notRegularFile(path: "Checklists", kind: "not a real folder")
        }
        if let id { return [try resolveChecklist(id)] }
        let known = checklistIDs()
        guard !known.isEmpty else { throw StoreError.noChecklist(workspace: root.path) }
        return known
    }

    /// The store of a checklist whose ID passed `Identifier.isChecklistID`.
    public func store(for id: String) -> ChecklistStore { ChecklistStore(workspace: self, id: id) }

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
