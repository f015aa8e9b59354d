public import Foundation

/// The git repository a workspace lies in, reached by running `git` (as for git's user.email): the history
/// is the audit trail that `verify` checks records against.
public struct Git: Sendable {
    /// Where commands run: the workspace root.
    public let directory: URL
    /// The workspace's path inside the repository (`""` at the top level, else `sub/dir/`), as git's
    /// `--show-prefix` prints it: porcelain output names paths from the top level.
    public let prefix: String

    /// git's own list of the variables that place a repository (`git rev-parse --local-env-vars`), less those
    /// of configuration (`GIT_CONFIG_*`, which may allow the repository: `safe.directory`).
    static let repositoryVariables = [
        "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_DIR", "GIT_GRAFT_FILE", "GIT_IMPLICIT_WORK_TREE",
        "GIT_INDEX_FILE", "GIT_INTERNAL_SUPER_PREFIX", "GIT_NO_REPLACE_OBJECTS", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX",
        "GIT_REPLACE_REF_BASE", "GIT_SHALLOW_FILE", "GIT_WORK_TREE",
    ]

    /// What git says of a directory, from one launch of git.
    public enum Lookup: Sendable {
        /// The work tree of a repository holds it.
        case repository(Git)
        /// No repository holds it (git says so, or, where git cannot be asked, no `.git` lies at or above it).
        case none
        /// A repository holds it that git refuses to read (another user owns it: git's "dubious ownership",
        /// common in CI containers) or that git cannot be asked about (missing, killed); why, and what to do.
        case refused(String)

        public var repository: Git? {
            if case .repository(let git) = self { return git }
            return nil
        }

        public var refusal: String? {
            if case .refused(let reason) = self { return reason }
            return nil
        }
    }

    /// Asks git whether `directory` lies in a repository's work tree. `Workspace.git` asks once per workspace.
    public static func lookup(_ directory: URL) -> Lookup {
        let failure: GitError
        do {
            let output = String(decoding: try run(["rev-parse", "--is-inside-work-tree", "--show-prefix"], in: directory), as: UTF8.self)
            // "true\n" then the prefix and its line feed; the prefix is taken whole (a folder's name may hold a line feed).
            let repository = enclosingRepository(of: directory)
            guard output.hasPrefix("true\n") else {
                // A `.git` around the workspace that git does not take for a work tree (a local `core.bare` or
                // `core.worktree`, GIT_DIR or GIT_WORK_TREE) must not make its history pass for none.
                guard let repository else { return .none }
                return .refused("git does not take the workspace for part of a work tree, yet it lies in a git repository "
                    + "(\(repository)/.git): check core.bare and core.worktree (git config --list --show-origin), so that committed "
                    + "records can be compared with their history")
            }
            var prefix = String(output.dropFirst("true\n".count))
            if prefix.hasSuffix("\n") { prefix.removeLast() }
            // The work tree must be the folder that holds `.git`: with another (core.worktree, GIT_WORK_TREE) every
            // path git names would fall outside the workspace, and nothing would be compared.
            if let repository, let expected = relativeFolder(directory, below: repository), expected != prefix {
                return .refused("git's work tree is not the folder that holds \(repository)/.git (git places the workspace at "
                    + "\"\(prefix)\", the folders at \"\(expected)\"): check core.worktree (git config --list --show-origin), so that "
                    + "committed records can be compared with their history")
            }
            return .repository(Git(directory: directory, prefix: prefix))
        } catch let error as GitError {
            failure = error
        } catch {
            failure = GitError(arguments: [], status: -1, message: "\(error)")
        }
        if failure.message.contains("dubious ownership") {
            return .refused("git refuses this repository because another user owns it (\"dubious ownership\"); allow it with "
                + "git config --global --add safe.directory \(Wording.shellWord(directory.path)) (in CI: the checkout's folder)")
        }
        // A repository around the workspace must never pass for none, whatever kept git from answering (git
        // missing, killed, out of descriptors): its history is the trail, and the checks against it would be
        // skipped. Without one, git's failure is what "no repository" looks like.
        guard let repository = enclosingRepository(of: directory) else { return .none }
        let why: String
        switch failure.status {
        case -1: why = failure.message.isEmpty ? "git's exit could not be learned" : failure.message
        case 129...: why = "git was killed by signal \(failure.status - 128)"
        default: why = "git rev-parse failed (exit \(failure.status))" + (failure.message.isEmpty ? "" : ": \(failure.message.prefix(300))")
        }
        return .refused("\(why); yet the workspace lies in a git repository (\(repository)/.git), so committed records cannot be "
            + "compared with their history: install git or put it on PATH, or repair the repository")
    }

    /// `directory`'s path below `top` as git's `--show-prefix` writes it (`""`, or `sub/dir/`), symbolic links
    /// resolved in both; nil when it does not lie below it.
    static func relativeFolder(_ directory: URL, below top: String) -> String? {
        let inner = directory.standardizedFileURL.resolvingSymlinksInPath().path
        let outer = URL(fileURLWithPath: top).standardizedFileURL.resolvingSymlinksInPath().path
        if inner == outer { return "" }
        let base = outer.hasSuffix("/") ? outer : outer + "/"
        return inner.hasPrefix(base) ? String(inner.dropFirst(base.count)) + "/" : nil
    }

    /// The nearest folder at or above `directory` that holds a `.git` (a folder, a worktree's file, or a link,
    /// even a dangling one).
    static func enclosingRepository(of directory: URL) -> String? {
        var current = directory.standardizedFileURL
        while true {
            if SafeFile.kind(of: current.appendingPathComponent(".git").path) != nil { return current.path }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// Runs `git ARGUMENTS` in the workspace; stdout on exit 0, else `GitError` with git's own message.
    public func run(_ arguments: [String]) throws -> Data {
        try Self.run(arguments, in: directory)
    }

    /// The commit checked out, or nil before the first commit (git's quiet "no such ref": exit 1, nothing said).
    /// Any other failure (git killed, out of descriptors) throws: it must never read as "no commit yet".
    public func head() throws -> String? {
        do {
            let text = String(decoding: try run(["rev-parse", "--verify", "--quiet", "HEAD"]), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        } catch let error as GitError where error.status == 1 && error.message.isEmpty {
            return nil
        }
    }

    /// The commit checked out, or nil before the first commit or when git cannot say (the report's generator block).
    public func headCommit() -> String? { (try? head()) ?? nil }

    /// A configuration value (`user.email`, `gpg.format`, `user.signingkey`) as git reads it in `directory`
    /// (the current directory when nil; outside a repository the global one), or nil when unset, empty, or git
    /// is missing.
    public static func config(_ key: String, in directory: URL?) -> String? {
        let place = directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let output = try? run(["config", "--get", key], in: place) else { return nil }
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// A repository path (from the top level) made relative to the workspace, or nil when it lies outside it.
    public func workspacePath(_ repositoryPath: String) -> String? {
        if prefix.isEmpty { return repositoryPath }
        return repositoryPath.hasPrefix(prefix) ? String(repositoryPath.dropFirst(prefix.count)) : nil
    }

    static func run(_ arguments: [String], in directory: URL) throws -> Data {
        var environment = ProcessInfo.processInfo.environment
        // The repository is the one the workspace lies in, found from it (`-C`), as git does for a submodule:
        // the variables that point git at another repository, work tree or index are not passed on (a hook of
        // a linked worktree exports GIT_DIR, and GIT_WORK_TREE could hide the workspace's history).
        for name in Self.repositoryVariables { environment.removeValue(forKey: name) }
        environment["GIT_OPTIONAL_LOCKS"] = "0"  // reading commands never take git's index lock
        environment["LC_ALL"] = "C"
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run("git", ["-C", directory.path, "-c", "core.quotepath=off"] + arguments, environment: environment)
        } catch {
            throw GitError(arguments: arguments, status: -1, message: "git could not be run: \(error)")
        }
        guard outcome.status == 0 else {
            let message = String(decoding: outcome.errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw GitError(arguments: arguments, status: outcome.status, message: message)
        }
        return outcome.output
    }
}

/// A git command that failed, with git's own words.
public struct GitError: Error, LocalizedError, Sendable {
    public var arguments: [String]
    public var status: Int32
    public var message: String

    public var errorDescription: String? {
        "error: `git \(arguments.joined(separator: " "))` failed" + (message.isEmpty ? " (exit \(status))" : ": \(message)")
    }
}
