import Foundation

/// What git's history says of a checklist's files: records, sources and attachments (and their `.sig`
/// files) are append-only, so a committed one that is modified or deleted is an integrity failure.
public struct GitAudit: Sendable {
    /// Integrity failures (exit 3).
    public var problems: [String] = []
    /// Input errors (exit 2): a revision that cannot be read, missing history.
    public var inputErrors: [String] = []
    public var warnings: [String] = []
    /// What an auditor should know: commits that changed `allowed_signers`, records committed late.
    public var notes: [String] = []

    /// Files that the rule covers: `Checklists/<id>/{records,source,attachments}/**` of the checklist named, or
    /// of any checklist (nil), whether or not it can still be read.
    static func isGuarded(_ workspacePath: String, checklist: String?) -> Bool {
        let parts = workspacePath.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "Checklists", checklist.map({ parts[1] == $0 }) ?? true else { return false }
        return ["records", "source", "attachments"].contains(parts[2])
    }

    /// The checklist a guarded path belongs to.
    static func checklist(of workspacePath: String) -> String {
        String(workspacePath.split(separator: "/", maxSplits: 2).dropFirst().first ?? "")
    }

    /// One changed file in a diff: git's raw status letter, the path from the top level, the old blob.
    struct Change {
        var status: Character
        var path: String
        var oldBlob: String
    }

    /// Parses `--raw -z` output: `:MODE MODE OLD NEW STATUS\0PATH\0`…
    static func parseRaw(_ text: Substring) -> [Change] {
        var changes: [Change] = []
        let fields = text.split(separator: "\0", omittingEmptySubsequences: false)
        var index = 0
        while index + 1 < fields.count {
            let meta = fields[index].drop(while: { $0 == "\n" })
            guard meta.hasPrefix(":") else { index += 1; continue }
            let parts = meta.split(separator: " ")
            let path = String(fields[index + 1])
            if parts.count >= 5, let status = parts[4].first {
                changes.append(Change(status: status, path: path, oldBlob: String(parts[2])))
            }
            index += 2
        }
        return changes
    }

    /// The working tree against HEAD: committed files of the checklist (nil: of every checklist) modified or
    /// deleted, and files git was told to stop looking at (assume-unchanged, skip-worktree).
    public static func workingTree(_ git: Git, checklist: String?) -> GitAudit {
        var audit = GitAudit()
        let output: Data
        do {
            guard try git.head() != nil else {
                audit.notes.append("git: no commit yet, so there is no committed state to compare with")
                return audit
            }
            let scope = checklist.map { "Checklists/\($0)" } ?? "Checklists"
            output = try git.run(["diff", "--no-renames", "--no-abbrev", "--raw", "-z", "HEAD", "--", scope])
            // Caches are never evidence: a committed `.attest/` (forged verdicts, a forged stat cache) is refused.
            let cache = try git.run(["ls-files", "-z", "--", ".attest"])
            if !cache.isEmpty {
                audit.problems.append(".attest/: committed to git, but it holds caches that are never evidence (a committed verdict or stat "
                    + "cache could vouch for what is not so); remove it from git (git rm -r --cached .attest) and commit")
            }
            // `git diff` trusts the index: a file marked assume-unchanged or skip-worktree hides its edits.
            let flags = try git.run(["ls-files", "-v", "-z", "--", scope])
            for entry in String(decoding: flags, as: UTF8.self).split(separator: "\0") {
                guard let tag = entry.first, tag.isLowercase || tag == "S" else { continue }
                let path = String(entry.dropFirst(2))
                guard let relative = git.workspacePath(path), isGuarded(relative, checklist: checklist) else { continue }
                audit.problems.append("\(relative): git is told not to look at this file (\(tag == "S" ? "skip-worktree" : "assume-unchanged")), "
                    + "so its edits would go unseen; clear it (git update-index --no-assume-unchanged --no-skip-worktree -- \(Wording.shellWord(relative)))")
            }
        } catch {
            // Never "no commit yet" or nothing found: git failing here (killed, out of descriptors) leaves the
            // working tree unchecked, which must stop the command.
            audit.inputErrors.append(((error as? GitError)?.errorDescription ?? "error: \(error)")
                + "; the working tree could not be compared with HEAD: check the repository (git status) and run attest again")
            return audit
        }
        for change in parseRaw(Substring(String(decoding: output, as: UTF8.self))) {
            guard let path = git.workspacePath(change.path), isGuarded(path, checklist: checklist) else { continue }
            let what: String
            switch change.status {
            case "D":
                if removesInvalidRecord(git, blob: change.oldBlob, path: path, checklist: Self.checklist(of: path)) {
                    audit.warnings.append("\(path): a committed record that breaks its schema is deleted in the working tree (allowed: commit the removal)")
                    continue
                }
                what = "deleted"
            case "A": continue
            default: what = "modified"
            }
            audit.problems.append("\(path): committed file \(what) in the working tree" + lastCommit(git, path: change.path)
                + "; records, sources and attachments are never rewritten: restore it (\(restoreCommand(git, path: path))) and record a correction instead")
        }
        return audit
    }

    /// `git checkout -- 'PATH'` (PATH from the workspace), with `-C` and the workspace when attest runs from
    /// another folder (`--workspace`), so that it can be pasted where it is read.
    static func restoreCommand(_ git: Git, path: String) -> String {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.resolvingSymlinksInPath().path
        let workspace = git.directory.standardizedFileURL.resolvingSymlinksInPath().path
        return "git " + (here == workspace ? "" : "-C \(Wording.shellWord(git.directory.path)) ") + "checkout -- \(Wording.shellWord(path))"
    }

    /// Why `--since REVISION` names no commit here (with what to do), or nil when it does.
    public static func unknownRevision(_ git: Git, _ revision: String) -> String? {
        guard (try? git.run(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"])) == nil else { return nil }
        guard git.headCommit() != nil else {
            return "error: --since \(revision): the repository has no commit yet, so there is no history to check; commit the workspace first"
        }
        let shallow = (try? git.run(["rev-parse", "--is-shallow-repository"])).map { String(decoding: $0, as: UTF8.self).hasPrefix("true") } ?? false
        return "error: --since \(revision): no such commit here"
            + (shallow ? "; this is a shallow clone: fetch the history (git fetch --unshallow, or fetch-depth: 0 in the CI checkout)"
                       : "; fetch it (git fetch origin) or name a commit, branch or tag")
    }

    /// The history from `revision` to HEAD: every commit may only add records, sources and attachments.
    public static func history(_ git: Git, since revision: String, checklist: String?) -> GitAudit {
        var audit = GitAudit()
        if let unknown = unknownRevision(git, revision) {
            audit.inputErrors.append(unknown)
            return audit
        }
        if (try? git.run(["merge-base", "--is-ancestor", revision, "HEAD"])) == nil {
            let shallow = (try? git.run(["rev-parse", "--is-shallow-repository"])).map { String(decoding: $0, as: UTF8.self).hasPrefix("true") } ?? false
            if shallow {
                audit.inputErrors.append("error: --since \(revision): this is a shallow clone, so git cannot tell whether it is an ancestor of HEAD; "
                    + "fetch the history (git fetch --unshallow, or fetch-depth: 0 in the CI checkout)")
            } else {
                audit.problems.append("--since \(revision): it is not an ancestor of HEAD, so the history since it was rewritten (records are append-only); "
                    + "if the branch was only rebased, compare from the commit both share: attest verify --since $(git merge-base HEAD \(revision))")
            }
            return audit
        }
        let output: Data
        do {
            output = try git.run(["log", "-m", "--no-renames", "--no-abbrev", "--raw", "-z", "--format=%x01%H%x1f%an <%ae>",
                                  "\(revision)..HEAD", "--", "Checklists", "allowed_signers"])
        } catch {
            audit.inputErrors.append((error as? GitError)?.errorDescription ?? "\(error)")
            return audit
        }
        let text = String(decoding: output, as: UTF8.self)
        var signerChanges = Set<String>()
        for chunk in text.split(separator: "\u{01}") {
            guard let headerEnd = chunk.firstIndex(of: "\0") else { continue }
            let header = chunk[..<headerEnd].split(separator: "\u{1F}", maxSplits: 1)
            let commit = String(header.first ?? "").prefix(12)
            let author = header.count > 1 ? String(header[1]) : ""
            for change in parseRaw(chunk[chunk.index(after: headerEnd)...]) {
                guard let path = git.workspacePath(change.path) else { continue }
                if path == "allowed_signers" {
                    signerChanges.insert("commit \(commit) by \(author) changes allowed_signers")
                    continue
                }
                guard isGuarded(path, checklist: checklist), change.status != "A" else { continue }
                if change.status == "D" && removesInvalidRecord(git, blob: change.oldBlob, path: path, checklist: Self.checklist(of: path)) {
                    audit.warnings.append("commit \(commit) by \(author) removes \(path), a record that breaks its schema (allowed)")
                    continue
                }
                let verb = change.status == "D" ? "deletes" : "modifies"
                audit.problems.append("commit \(commit) by \(author) \(verb) \(path); since \(revision) commits may only add records, sources and attachments")
            }
        }
        audit.notes += signerChanges.sorted()
        return audit
    }

    /// Records of a checklist committed more than a day after their `recordedAt` (a back-dated record, or
    /// one that waited long in a clone): listed for the auditor, not failures.
    public static func lateRecords(_ git: Git, records: [StoredRecord]) -> [String] {
        guard git.headCommit() != nil, let first = records.first else { return [] }
        let folder = first.path.split(separator: "/").prefix(2).joined(separator: "/") + "/records"
        guard let output = try? git.run(["log", "--diff-filter=A", "--no-renames", "--name-only", "-z", "--format=%x01%ct", "--", folder]) else { return [] }
        var added: [String: Date] = [:]
        for chunk in String(decoding: output, as: UTF8.self).split(separator: "\u{01}") {
            let fields = chunk.split(separator: "\0").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard let seconds = fields.first.flatMap(TimeInterval.init) else { continue }
            for path in fields.dropFirst() where !path.isEmpty {
                if let relative = git.workspacePath(path) { added[relative] = Date(timeIntervalSince1970: seconds) }
            }
        }
        return records.compactMap { stored in
            guard let committed = added[stored.path], committed.timeIntervalSince(stored.record.recordedAt) > 86_400 else { return nil }
            return "\(stored.path): recorded \(Timestamp.format(stored.record.recordedAt)) but first committed \(Timestamp.format(committed))"
        }
    }

    private static func lastCommit(_ git: Git, path: String) -> String {
        guard let output = try? git.run(["log", "-1", "--format=%h %an <%ae>", "--", ":(top)" + path]) else { return "" }
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : " (last committed in \(text))"
    }

    /// Whether a deleted committed file was a record that breaks its schema (removing one is allowed).
    private static func removesInvalidRecord(_ git: Git, blob: String, path: String, checklist: String) -> Bool {
        let parts = path.split(separator: "/")
        guard path.hasSuffix(".json"), parts.count == 5, parts[2] == "records",
              let data = try? git.run(["cat-file", "blob", blob]) else { return false }
        let limit = parts[3] == ChecklistStore.checklistFolder ? SafeFile.Limit.importRecord : SafeFile.Limit.record
        if data.count > limit { return true }
        do {
            let record = try JSONCoding.decode(Record.self, from: data, path: path)
            try RecordValidator.check(record, path: path, folder: String(parts[3]), fileName: String(parts[4]), checklistID: checklist)
            return false
        } catch {
            return true
        }
    }
}
