public import Foundation

/// What produced a report: the attest version, the workspace commit and whether the tree was clean.
/// The only part of a report that may differ for the same state and as-of; it never names a person.
public struct ReportGenerator: Codable, Hashable, Sendable {
    public var attestVersion: String
    /// The commit checked out; nil outside git or before the first commit.
    public var commit: String?
    /// No change to tracked files and no untracked file outside the report folder and `.attest/`;
    /// nil outside git.
    public var clean: Bool?
    /// When the tree is not clean: what makes it so (words for people, not a key of the JSON output); nil with
    /// `clean` false when git could not say (the tree counts as not clean, and the words say so).
    public var changes: Changes? = nil

    /// How many paths keep the tree from being clean, and the first of them (git's porcelain path, from the
    /// repository's top).
    public struct Changes: Hashable, Sendable {
        public var count: Int
        public var first: String
    }

    public init(attestVersion: String = AttestVersion.current, commit: String?, clean: Bool?, changes: Changes? = nil) {
        self.attestVersion = attestVersion
        self.commit = commit
        self.clean = clean
        self.changes = clean == false ? changes : nil
    }

    enum CodingKeys: String, CodingKey { case attestVersion, commit, clean }

    /// Unknown values are written as `null`, so that scripts can rely on the keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attestVersion, forKey: .attestVersion)
        try container.encode(commit, forKey: .commit)
        try container.encode(clean, forKey: .clean)
    }

    /// `attest 0.1.0, commit 1a2b…, clean working tree`, one line.
    public var description: String {
        "attest \(attestVersion), " + commitText + ", " + treeText
    }

    public var commitText: String {
        if clean == nil { return "not in a git repository" }
        return commit.map { "commit \($0)" } ?? "no commit yet"
    }

    public var treeText: String {
        switch clean {
        case nil: "working tree not checked (no git)"
        case true?: "clean working tree"
        case false?:
            changes.map { changes in
                "uncommitted changes in the working tree ("
                    + (changes.count == 1 ? "" : "\(changes.count) paths, the first ") + changes.first.visible + ")"
            } ?? "working tree not checked: git status failed"
        }
    }

    /// Asks git about the workspace; `reportDirectory` is where the report goes (untracked files there
    /// do not make the tree unclean).
    public static func inspect(_ workspace: Workspace, reportDirectory: URL) -> ReportGenerator {
        guard let git = workspace.git.repository else { return ReportGenerator(commit: nil, clean: nil) }
        let changes = git.changes(allowingUntrackedUnder: [
            "Reports/", ".attest/", Self.relativeFolder(reportDirectory, in: workspace),
        ].compactMap { $0 })
        let found = changes.flatMap { paths in paths.first.map { Changes(count: paths.count, first: $0) } }
        return ReportGenerator(commit: git.headCommit(), clean: changes?.isEmpty ?? false, changes: found)
    }

    /// `out/` for a folder inside the workspace (not the workspace itself), nil outside it.
    static func relativeFolder(_ folder: URL, in workspace: Workspace) -> String? {
        Git.relativeFolder(folder, below: workspace.root.path).flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension Git {
    /// The paths (git's porcelain paths, from the repository's top) that keep the tree from being clean: every
    /// tracked file that differs from HEAD (staged or not) and every untracked file outside `folders` (paths
    /// relative to the workspace, ending in `/`). Empty: clean. nil when git fails.
    public func changes(allowingUntrackedUnder folders: [String]) -> [String]? {
        guard let output = try? run(["status", "--porcelain", "-z", "--untracked-files=all"]) else { return nil }
        let entries = output.split(separator: 0, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
        var changes: [String] = []
        var index = 0
        while index < entries.count {
            let entry = entries[index]
            index += 1
            guard entry.count > 3 else { changes.append(entry); continue }
            let code = entry.prefix(2)
            let path = String(entry.dropFirst(3))
            if code.contains("R") || code.contains("C") { index += 1 }  // the source path follows
            if code == "??", let relative = workspacePath(path), folders.contains(where: { relative.hasPrefix($0) }) { continue }
            changes.append(path)
        }
        return changes
    }
}
