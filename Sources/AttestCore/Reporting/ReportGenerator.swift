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

    public init(attestVersion: String = AttestVersion.current, commit: String?, clean: Bool?) {
        self.attestVersion = attestVersion
        self.commit = commit
        self.clean = clean
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
        case false?: "uncommitted changes in the working tree"
        }
    }

    /// Asks git about the workspace; `reportDirectory` is where the report goes (untracked files there
    /// do not make the tree unclean).
    public static func inspect(_ workspace: Workspace, reportDirectory: URL) -> ReportGenerator {
        guard let git = workspace.git.repository else { return ReportGenerator(commit: nil, clean: nil) }
        return ReportGenerator(commit: git.headCommit(), clean: git.isClean(allowingUntrackedUnder: [
            "Reports/", ".attest/", Self.relativeFolder(reportDirectory, in: workspace),
        ].compactMap { $0 }))
    }

    /// `out/` for a folder inside the workspace, nil outside it.
    static func relativeFolder(_ folder: URL, in workspace: Workspace) -> String? {
        let root = workspace.root.resolvingSymlinksInPath().path
        let path = folder.standardizedFileURL.resolvingSymlinksInPath().path
        guard path.hasPrefix(root + "/") else { return nil }
        return String(path.dropFirst(root.count + 1)) + "/"
    }
}

extension Git {
    /// True when no tracked file differs from HEAD (staged or not) and every untracked file lies under
    /// one of `folders` (paths relative to the workspace, ending in `/`). False when git fails.
    public func isClean(allowingUntrackedUnder folders: [String]) -> Bool {
        guard let output = try? run(["status", "--porcelain", "-z", "--untracked-files=all"]) else { return false }
        let entries = output.split(separator: 0, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
        var index = 0
        while index < entries.count {
            let entry = entries[index]
            index += 1
            guard entry.count > 3 else { return false }
            let code = entry.prefix(2)
            let path = String(entry.dropFirst(3))
            if code.contains("R") || code.contains("C") { index += 1 }  // the source path follows
            guard code == "??" else { return false }
            guard let relative = workspacePath(path), folders.contains(where: { relative.hasPrefix($0) }) else { return false }
        }
        return true
    }
}
