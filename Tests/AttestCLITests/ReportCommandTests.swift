import AttestCore
import AttestTestSupport
import Foundation
import Testing

/// `attest report` as a CI job runs it: all three files or none, and a generator block that says which
/// attest, which commit and whether the tree was clean.
@Suite struct ReportCommandTests {
    static let names = ["adobe-commerce-cloud-service.junit.xml", "adobe-commerce-cloud-service.md", "adobe-commerce-cloud-service.oscal-ar.json"]

    /// Runs `attest ARGUMENTS` under `ulimit -f BLOCKS` (SIGXFSZ ignored by attest: the write fails instead).
    func limited(_ cli: CLI, blocks: Int, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let result = try cli.run(["-c", "ulimit -f \(blocks); exec \"$0\" \"$@\"", CLI.binary.path] + arguments, executable: "/bin/bash")
        return (result.status, result.stderr)
    }

    @Test func aFileSizeLimitReplacesNoReportAndLeavesNoTemporaryFile() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.run(["report"]).expectSuccess()
        let before = try Self.names.map { try Data(contentsOf: cli.workspace.appendingPathComponent("Reports/\($0)")) }
        try cli.run(["tick", "ACCS-11", "--note", String(repeating: "long note ", count: 200), "--by", "a"]).expectSuccess()
        // 8 blocks (4 KiB with bash's 512-byte blocks): the JUnit file fits, the markdown and OSCAL do not.
        let result = try limited(cli, blocks: 8, ["report"])
        #expect(result.status == 2 && result.stderr.contains("file too large (the file-size limit, ulimit -f)"), "\(result.stderr)")
        let after = try Self.names.map { try Data(contentsOf: cli.workspace.appendingPathComponent("Reports/\($0)")) }
        #expect(before == after, "a failed report replaces none of its files")
        let temporary = cli.workspace.appendingPathComponent(".attest/tmp")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty, "no temporary file is left")

        let out = try limited(cli, blocks: 8, ["report", "--out", "audit/2026-q4"])
        #expect(out.status == 2)
        #expect(!FileManager.default.fileExists(atPath: cli.workspace.appendingPathComponent("audit").path), "a failed --out NEWDIR leaves no folder")
    }

    @Test func onlyWritesOneKindAndEveryFileCarriesTheDigest() throws {
        let cli = try CLI.withDefaultChecklist()
        let result = try cli.run(["report", "--only", "oscal", "--out", "oscal-only"])
        result.expectSuccess()
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.workspace.appendingPathComponent("oscal-only").path)
                == ["adobe-commerce-cloud-service.oscal-ar.json"])
        let digest = try #require(result.stdout.split(separator: " ").drop { $0 != "digest" }.dropFirst().first)
        try cli.run(["report"]).expectSuccess()
        for name in Self.names {
            let text = try String(contentsOf: cli.workspace.appendingPathComponent("Reports/\(name)"), encoding: .utf8)
            #expect(text.contains(String(digest)), "\(name) carries the digest")
        }
        let bad = try cli.run(["report", "--only", "pdf"])
        #expect(bad.status == 2 && bad.stderr.contains("use junit, markdown or oscal"))
    }

    static let hasGit = FileManager.default.isExecutableFile(atPath: "/usr/bin/git")

    @Test(.enabled(if: hasGit, "git is not installed: generator check skipped"))
    func theGeneratorNamesTheCommitAndWhetherTheTreeWasClean() throws {
        let cli = try CLI.withDefaultChecklist()
        func git(_ arguments: String...) throws {
            let result = try cli.run(["-c", "user.email=ci@example.com", "-c", "user.name=CI"] + arguments, executable: "/usr/bin/git")
            #expect(result.status == 0, "git \(arguments): \(result.stderr)")
        }
        try git("init", "-q")
        try git("add", "-A")
        try git("commit", "-qm", "workspace")
        try cli.run(["report"]).expectSuccess()
        let markdown = { try String(contentsOf: cli.workspace.appendingPathComponent("Reports/adobe-commerce-cloud-service.md"), encoding: .utf8) }
        #expect(try markdown().contains("| Working tree | clean working tree |"), "untracked reports do not count")
        #expect(try markdown().range(of: #"\| Workspace commit \| commit [0-9a-f]{40} \|"#, options: .regularExpression) != nil)
        #expect(!(try markdown().contains("ci@example.com")), "no person's name as generator")
        try cli.directory.write("stray.txt", "not committed")
        try cli.run(["report"]).expectSuccess()
        #expect(try markdown().contains("| Working tree | uncommitted changes in the working tree |"))
        let junit = try String(contentsOf: cli.workspace.appendingPathComponent("Reports/adobe-commerce-cloud-service.junit.xml"), encoding: .utf8)
        #expect(junit.contains("<property name=\"attest.generator.workingTree\" value=\"uncommitted changes in the working tree\"/>"))
    }
}
