import AttestCore
import AttestTestSupport
import Foundation
import Testing

/// The README's session runs as written: its commands are taken from the README's "A session" block, run
/// in a fresh folder beside a copy of the repository's files (as a reader beside their clone), and their
/// output compared with the README's, times, record IDs, hashes and absolute paths masked. When the output
/// changes on purpose, update the README: the failure message holds the whole new transcript.
@Suite struct ReadmeSessionTests {
    struct Step {
        var command: String
        var expected: [String]
    }

    /// The `$ …` lines of the first ```text block after "## A session", each with the lines that follow it.
    static func session(in readme: String) throws -> [Step] {
        let lines = readme.components(separatedBy: "\n")
        let heading = try #require(lines.firstIndex(of: "## A session"), "README has no \"## A session\" section")
        let open = try #require(lines[heading...].firstIndex(of: "```text"), "the session has no ```text block")
        let close = try #require(lines[(open + 1)...].firstIndex(of: "```"), "the session block is not closed")
        var steps: [Step] = []
        for line in lines[(open + 1)..<close] {
            if line.hasPrefix("$ ") {
                steps.append(Step(command: String(line.dropFirst(2)), expected: []))
            } else {
                #expect(!steps.isEmpty, "output before the first command: \(line)")
                if !steps.isEmpty { steps[steps.count - 1].expected.append(line) }
            }
        }
        return steps
    }

    /// What varies from run to run and machine to machine.
    static func masked(_ text: String) -> String {
        var text = text
        for (pattern, replacement) in [
            (#"(?<=^|\s)/[^\s:]+"#, "/PATH"),
            (#"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}"#, "<record-id>"),
            (#"[0-9a-f]{64}"#, "<sha256>"),
            (#"\b[0-9a-f]{12}\b"#, "<hash>"),
            (#"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z"#, "<instant>"),
            (#"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}Z"#, "<time>"),
        ] {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text
    }

    @Test func theReadmeSessionRunsAsWritten() throws {
        let readme = try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
        let steps = try Self.session(in: readme)
        #expect(steps.count >= 8, "the session shows the commands a new user runs")
        #expect(steps.contains { $0.command.hasPrefix("attest gate") && $0.command.contains("$?") }, "the session shows gate's exit code")

        // A copy of the repository's files the session reads (as a clone has them), and a new folder beside it.
        let root = try TemporaryDirectory()
        let clone = root.url.appendingPathComponent("attest")
        let demo = root.url.appendingPathComponent("demo")
        for folder in ["Checklists", "Examples"] {
            try FileManager.default.createDirectory(at: clone, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: CLI.root.appendingPathComponent(folder), to: clone.appendingPathComponent(folder))
        }
        try FileManager.default.createDirectory(at: demo, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.url.appendingPathComponent("home"), withIntermediateDirectories: true)

        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = CLI.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["USER"] = "alice@example.com"
        environment["HOME"] = root.url.appendingPathComponent("home").path
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["NO_COLOR"] = "1"

        var transcript: [String] = []
        var mismatches: [String] = []
        for step in steps {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "{ \(step.command)\n} 2>&1"]
            process.currentDirectoryURL = demo
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
            process.waitUntilExit()
            var lines = output.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            transcript.append("$ " + step.command)
            transcript += lines
            let actual = lines.map(Self.masked), expected = step.expected.map(Self.masked)
            if actual != expected {
                let index = Array(zip(actual, expected)).firstIndex { $0.0 != $0.1 } ?? min(actual.count, expected.count)
                mismatches.append("$ \(step.command)\n  README: \(index < expected.count ? expected[index] : "(no more lines)")\n"
                    + "  actual: \(index < actual.count ? actual[index] : "(no more lines)")")
            }
        }
        #expect(mismatches.isEmpty, """
            the README's session no longer matches what attest prints:
            \(mismatches.joined(separator: "\n"))

            The whole transcript, to paste into the README's session block:
            \(transcript.joined(separator: "\n"))
            """)
    }

    @Test func masksKeepWhatMatters() {
        #expect(Self.masked("Recorded ev-20261127T174545Z-a184b27a by alice in /tmp/x/demo: 2026-11-27 17:45Z")
                == "Recorded ev-<record-id> by alice in /PATH: <time>")
        #expect(Self.masked("valid through 2027-11-30") == "valid through 2027-11-30", "dates the user typed stay")
    }
}
