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
        // The files are written side by side: the error names the first that failed in the listed order.
        #expect(result.stderr.hasPrefix("Reports/adobe-commerce-cloud-service.md: error:"), "\(result.stderr)")
        let after = try Self.names.map { try Data(contentsOf: cli.workspace.appendingPathComponent("Reports/\($0)")) }
        #expect(before == after, "a failed report replaces none of its files")
        let temporary = cli.workspace.appendingPathComponent(".attest/tmp")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty, "no temporary file is left")

        let out = try limited(cli, blocks: 8, ["report", "--out", "audit/2026-q4"])
        #expect(out.status == 2)
        #expect(!FileManager.default.fileExists(atPath: cli.workspace.appendingPathComponent("audit").path), "a failed --out NEWDIR leaves no folder")
    }

    /// Whether this test process may mount a small tmpfs (root, outside a locked-down container).
    static let canMount: Bool = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attest-mount-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let cli = try? CLI(), let mounted = try? cli.run(["-c", "mount -t tmpfs -o size=64k tmpfs \"$0\" && umount \"$0\"", folder.path],
                                                               executable: "/bin/sh") else { return false }
        return mounted.status == 0
    }()

    /// `--out` on another file system (a full one): the swap copies each file beside its target, and when one
    /// copy fails, the files already replaced get their old bytes back (kept as hard links beside them, since
    /// the workspace's `.attest/tmp` is elsewhere). An adversary found the JUnit file deleted here before.
    @Test(.enabled(if: canMount, "cannot mount a tmpfs here (needs root): the full-disk --out check is skipped"))
    func aFullDiskElsewhereKeepsEveryOldReport() throws {
        let cli = try CLI.withDefaultChecklist()
        let mount = cli.workspace.deletingLastPathComponent().appendingPathComponent("small-disk-\(getpid())")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        try cli.run(["-c", "mount -t tmpfs -o size=400k tmpfs \"$0\"", mount.path], executable: "/bin/sh").expectSuccess()
        defer { _ = try? cli.run(["-c", "umount \"$0\"", mount.path], executable: "/bin/sh") }
        let out = mount.appendingPathComponent("r")
        try cli.run(["report", "--out", out.path]).expectSuccess()
        let before = try Self.names.map { try Data(contentsOf: out.appendingPathComponent($0)) }
        // Room for the JUnit file's copy (8 KiB), not for the markdown's (12 KiB).
        let free = try #require(try FileManager.default.attributesOfFileSystem(forPath: mount.path)[.systemFreeSize] as? Int)
        try Data(count: free - 10 * 1024).write(to: mount.appendingPathComponent("filler"))
        try cli.run(["tick", "ACCS-11", "--note", "a change, so that every report file differs", "--by", "a"]).expectSuccess()
        let result = try cli.run(["report", "--out", out.path])
        #expect(result.status == 2 && result.stderr.contains("No space left on device"), "\(result.stderr)")
        let after = try Self.names.map { try Data(contentsOf: out.appendingPathComponent($0)) }
        #expect(before == after, "a failed report replaces none of its files")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == Self.names, "no copy or backup is left beside them")
    }

    /// A folder where a report's signature belongs is not moved aside and left: the report stops, naming it,
    /// and changes nothing.
    @Test func aFolderWhereASignatureBelongsIsRefused() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.run(["report"]).expectSuccess()
        let reports = cli.workspace.appendingPathComponent("Reports")
        try FileManager.default.createDirectory(at: reports.appendingPathComponent("adobe-commerce-cloud-service.md.sig"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: reports.appendingPathComponent("adobe-commerce-cloud-service.md.sig/inside"))
        let before = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
        let result = try cli.run(["report"])
        #expect(result.status == 2 && result.stderr.contains("a directory is where the report's signature belongs; remove it"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted() == before)
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
        // What makes the tree unclean is named, so that it can be found.
        #expect(try markdown().contains(#"| Working tree | uncommitted changes in the working tree \(stray.txt\) |"#))
        let junit = try String(contentsOf: cli.workspace.appendingPathComponent("Reports/adobe-commerce-cloud-service.junit.xml"), encoding: .utf8)
        #expect(junit.contains("<property name=\"attest.generator.workingTree\" value=\"uncommitted changes in the working tree (stray.txt)\"/>"))
        try cli.directory.write("another.txt", "not committed either")
        try cli.run(["report"]).expectSuccess()
        #expect(try markdown().contains(#"| Working tree | uncommitted changes in the working tree \(2 paths, the first another.txt\) |"#))
        // A git status that fails is not taken for changes: the block says the tree was not checked.
        let wrapper = try TemporaryDirectory()
        try Data("#!/bin/sh\ncase \"$*\" in *status*) exit 1;; esac\nexec /usr/bin/git \"$@\"\n".utf8).write(to: wrapper.url.appendingPathComponent("git"))
        chmod(wrapper.url.appendingPathComponent("git").path, 0o755)
        try cli.run(["report"], environment: ["PATH": wrapper.url.path + ":/usr/bin:/bin"]).expectSuccess()
        #expect(try markdown().contains("| Working tree | working tree not checked: git status failed |"))
    }
}
