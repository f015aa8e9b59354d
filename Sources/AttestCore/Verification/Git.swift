public import Foundation

/// The git repository a workspace lies in, reached by running `git` (as for git's user.email): the history
/// is the audit trail that `verify` checks records against.
public struct Git: Sendable {
    /// Where commands run: the workspace root.
    public let directory: URL
    /// The workspace's path inside the repository (`""` at the top level, else `sub/dir/`), as git's
    /// `--show-prefix` prints it: porcelain output names paths from the top level.
    public let prefix: String

    /// The repository containing `directory`, or nil when git is missing or `directory` is not in a work tree.
    public static func repository(containing directory: URL) -> Git? {
        guard let output = try? run(["rev-parse", "--is-inside-work-tree", "--show-prefix"], in: directory) else { return nil }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == "true" else { return nil }
        return Git(directory: directory, prefix: lines.count > 1 ? String(lines[1]) : "")
    }

    /// Why git cannot be used in `directory` when it is inside a repository that git refuses to read (a
    /// repository owned by another user: git's "dubious ownership", common in CI containers); nil otherwise.
    public static func refusal(in directory: URL) -> String? {
        do {
            _ = try run(["rev-parse", "--is-inside-work-tree"], in: directory)
            return nil
        } catch let error as GitError where error.message.contains("dubious ownership") {
            return "git refuses this repository because another user owns it (\"dubious ownership\"); allow it with "
                + "git config --global --add safe.directory '\(directory.path)' (in CI: the checkout's folder)"
        } catch {
            return nil
        }
    }

    /// Runs `git ARGUMENTS` in the workspace; stdout on exit 0, else `GitError` with git's own message.
    public func run(_ arguments: [String]) throws -> Data {
        try Self.run(arguments, in: directory)
    }

    /// The commit checked out, or nil before the first commit.
    public func headCommit() -> String? {
        guard let output = try? run(["rev-parse", "--verify", "--quiet", "HEAD"]) else { return nil }
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "core.quotepath=off"] + arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_OPTIONAL_LOCKS"] = "0"  // reading commands never take git's index lock
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw GitError(arguments: arguments, status: -1, message: "git could not be run: \(error.localizedDescription)")
        }
        // Drain stderr beside stdout so that neither pipe fills and stalls git.
        let errorText = Locked(Data())
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = errors.fileHandleForReading.readAllRetryingInterrupts()
            errorText.withLock { $0 = data }
            drained.signal()
        }
        let data = output.fileHandleForReading.readAllRetryingInterrupts()
        process.waitUntilExit()
        drained.wait()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorText.withLock { $0 }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw GitError(arguments: arguments, status: process.terminationStatus, message: message)
        }
        return data
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
