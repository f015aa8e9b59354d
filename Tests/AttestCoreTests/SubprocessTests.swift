@testable import AttestCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How git and ssh-keygen are run: `Subprocess` (posix_spawn and waitpid, not Foundation's `Process`).
struct SubprocessTests {
    let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LC_ALL": "C"]

    func sh(_ script: String, environment: [String: String]? = nil, captureOutput: Bool = true) throws -> Subprocess.Outcome {
        try Subprocess.run("sh", ["-c", script], environment: environment ?? self.environment, captureOutput: captureOutput)
    }

    @Test func outputErrorsAndStatusComeBackApart() throws {
        let outcome = try sh("printf out; printf err >&2; exit 7")
        #expect(String(decoding: outcome.output, as: UTF8.self) == "out")
        #expect(String(decoding: outcome.errors, as: UTF8.self) == "err")
        #expect(outcome.status == 7)
        #expect(try sh("true").status == 0)
    }

    @Test func aProgramKilledBySignalIsNotASuccess() throws {
        #expect(try sh("kill -TERM $$").status == 128 + SIGTERM)
    }

    /// A script without a `#!` line is run by the shell, as execvp runs it (posix_spawn alone refuses it).
    @Test func aScriptWithoutAnInterpreterLineRuns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attest-subprocess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("plain-script")
        try Data("echo \"ran with $1\"\nexit 3\n".utf8).write(to: script)
        chmod(script.path, 0o755)
        let outcome = try Subprocess.run(script.path, ["an argument"], environment: environment)
        #expect(String(decoding: outcome.output, as: UTF8.self) == "ran with an argument\n")
        #expect(outcome.status == 3)
    }

    @Test func aMissingProgramThrows() {
        #expect(throws: PosixError.self) {
            try Subprocess.run("attest-no-such-program-\(UUID().uuidString)", [], environment: environment)
        }
    }

    /// Megabytes on both pipes at once: neither fills and stalls the program.
    @Test func largeOutputOnBothPipesDoesNotStall() throws {
        let outcome = try sh("head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2; head -c 1000000 /dev/zero")
        #expect(outcome.output.count == 4_000_000)
        #expect(outcome.errors.count == 2_000_000)
        #expect(outcome.status == 0)
    }

    @Test func standardInputIsEmptyAndOutputCanBeDropped() throws {
        #expect(try sh("cat").output.isEmpty)  // /dev/null: a prompt gets an end of file at once
        let dropped = try sh("echo visible; echo problem >&2", captureOutput: false)
        #expect(dropped.output.isEmpty)
        #expect(String(decoding: dropped.errors, as: UTF8.self) == "problem\n")
    }

    @Test func theProgramSeesExactlyTheEnvironmentGiven() throws {
        var given = environment
        given["ATTEST_SUBPROCESS_PROBE"] = "a value with spaces = and more"
        let lines = Set(String(decoding: try sh("env", environment: given).output, as: UTF8.self).split(separator: "\n").map(String.init))
        #expect(lines.contains("ATTEST_SUBPROCESS_PROBE=a value with spaces = and more"))
        #expect(!lines.contains { $0.hasPrefix("HOME=") })  // attest's own, not given
    }

    /// attest ignores SIGXFSZ so that a file-size limit fails its writes; the programs it starts get the default back.
    @Test func ignoredSignalsAreNotPassedOn() throws {
        #if os(Linux)
        let previous = signal(SIGXFSZ, SIG_IGN)
        defer { signal(SIGXFSZ, previous) }
        let status = String(decoding: try sh("grep SigIgn /proc/self/status").output, as: UTF8.self)
        let mask = UInt64(status.split(separator: "\t").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", radix: 16)
        #expect(mask.map { $0 & (1 << UInt64(SIGXFSZ - 1)) == 0 } == true, "SigIgn: \(status)")
        #endif
    }

    /// Only the three standard descriptors reach the program (glibc 2.34+): an open file of attest's never does.
    @Test func attestsOwnDescriptorsDoNotReachTheProgram() throws {
        #if os(Linux)
        let descriptor = open("/dev/null", O_RDONLY)  // without close-on-exec
        defer { close(descriptor) }
        try #require(descriptor > 3, "a descriptor above the three standard ones and ls's own")
        let listed = String(decoding: try sh("ls /proc/self/fd").output, as: UTF8.self).split(separator: "\n")
        // sh's own descriptors (0, 1, 2 and ls's directory handle) only: not attest's.
        #expect(!listed.contains(Substring(String(descriptor))), "\(listed)")
        #endif
    }
}
