import AttestCore
import AttestTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `attest` binary as a user would.
struct CLI {
    struct Result {
        var status: Int32
        /// The signal that ended the process, unless the hang guard sent it.
        var signal: Int32? = nil
        /// Killed by the hang guard.
        var timedOut = false
        var stdout: String
        var stderr: String
    }

    /// A hang guard, never a speed check: a command still running after this long is killed and reported.
    static let hangGuard = 60.0

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary SwiftPM built next to the test bundle.
    static let binary: URL = {
        let candidates = [Bundle.main.bundleURL.appendingPathComponent("attest"),
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("attest"),
                          root.appendingPathComponent(".build/debug/attest")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    let directory: TemporaryDirectory
    var workspace: URL { directory.url }

    init() throws {
        directory = try TemporaryDirectory()
    }

    @discardableResult
    func run(_ arguments: [String], in folder: URL? = nil, executable: String? = nil, environment extra: [String: String?] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder ?? workspace
        var environment = ProcessInfo.processInfo.environment
        environment["USER"] = "tester"
        for (key, value) in extra { environment[key] = value }  // nil removes the variable
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The hang guard holds the process ID, not the process: a pending guard (cancelled, but kept by the queue
        // until its deadline) holding `process` kept its pipes open for a minute, ~1,400 descriptors in a test
        // run, which is what makes Foundation's Process.run() crash on Linux (it copies 256 bytes from each
        // /proc/self/fd entry, past the end of glibc's buffer once it is full: swift-corelibs-foundation#5472).
        let killed = Collected()
        let pid = process.processIdentifier
        let timer = DispatchWorkItem {
            guard !killed.exited else { return }
            killed.timedOut = true
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.hangGuard, execute: timer)
        let collected = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            collected.data = out.fileHandleForReading.readAllRetryingInterrupts()
            group.leave()
        }
        let errData = err.fileHandleForReading.readAllRetryingInterrupts()
        group.wait()
        process.waitUntilExit()
        killed.exited = true
        timer.cancel()  // the guard never runs once cancelled
        try? out.fileHandleForReading.close()
        try? err.fileHandleForReading.close()
        let signal = process.terminationReason == .uncaughtSignal && !killed.timedOut ? process.terminationStatus : nil
        return Result(status: process.terminationStatus, signal: signal, timedOut: killed.timedOut,
                      stdout: String(decoding: collected.data, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    func json(_ arguments: [String]) throws -> Any {
        let result = try run(arguments + ["--format", "json"])
        guard result.status == 0 || result.status == 1 else { throw CLIError(result: result) }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    private final class Collected: @unchecked Sendable {
        var data = Data()
        var timedOut = false
        var exited = false
    }

    struct CLIError: Error, CustomStringConvertible {
        var result: Result
        var description: String { "exit \(result.status): \(result.stderr)" }
    }

    /// Every file under the workspace, relative, sorted (to show that a failed command wrote nothing).
    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: workspace.path)
        return (enumerator?.allObjects as? [String] ?? []).filter { path in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: workspace.appendingPathComponent(path).path, isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue && !path.hasPrefix(".attest")
        }.sorted()
    }

    /// A workspace holding a copy of the bundled default checklist.
    static func withDefaultChecklist() throws -> CLI {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        try FileManager.default.copyItem(at: root.appendingPathComponent("Checklists/adobe-commerce-cloud-service"),
                                         to: cli.workspace.appendingPathComponent("Checklists/adobe-commerce-cloud-service"))
        return cli
    }
}

extension CLI.Result {
    func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 0, "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)", sourceLocation: sourceLocation)
    }
}
