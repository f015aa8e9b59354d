@testable import AttestCore
@testable import AttestReports
import AttestTestSupport
import Foundation
import Testing

/// Signatures in the reports (issue 10): who signed each record, the policy, integrity failures first,
/// and `report --sign`'s files written and removed inside the all-or-nothing swap.
@Suite struct ReportSignatureTests {
    let reports = ReportTests()

    static let fingerprint = "SHA256:zYEj5jEWKVCr5iJowV0YYiYDCKp4dbMZymSJtvpDqQw"

    @Test func markdownSaysWhoSignedEveryRecord() throws {
        let markdown = try reports.written().markdown
        #expect(markdown.contains("**expired**; signed by alice@example.com \\(ED25519 \(Self.fingerprint)\\)"), "T-03's evidence")
        #expect(markdown.contains("; signature does not count: the signing key is not listed in allowed\\_signers for this principal"))
        #expect(markdown.contains("; unsigned"), "evidence without a .sig")
        let waiverRow = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| T-06 |") && $0.contains("Migration") })
        #expect(waiverRow.contains("by alice@example.com; signed by alice@example.com \\(ED25519"))
        #expect(waiverRow.contains("; approved `ap-") && waiverRow.contains("by ciso@example.com; signed by ciso@example.com \\(ED25519"))
        #expect(markdown.contains("| Imported | 2026-03-01T00:00:00.000Z by importer \\(record im-"))
        #expect(markdown.contains("| Signatures | optional \\(signatures are checked and shown where present\\) |"))
        #expect(markdown.contains("| allowed_signers SHA-256 | `\(ReportFixture.allowedSignersSHA256)` |"))
        #expect(markdown.contains("## Report signature\n\nNot signed"))
    }

    @Test func thePolicyAndAllowedSignersAreInEveryHeader() throws {
        let output = try reports.written()
        #expect(output.junit.contains("<property name=\"attest.policy.signatures\" value=\"optional (signatures are checked and shown where present)\"/>"))
        #expect(output.junit.contains("<property name=\"attest.policy.allowedSigners.sha256\" value=\"\(ReportFixture.allowedSignersSHA256)\"/>"))
        #expect(output.oscal.contains("\"name\": \"policy-allowedSigners.sha256\""))
        var none = ReportFixture.state
        none.allowedSignersSHA256 = nil
        #expect(MarkdownReport(state: none).render().contains("| allowed_signers SHA-256 | none \\(no allowed\\_signers file\\) |"))
    }

    /// Signatures required: unsigned evidence and a mark awaiting its approver explain themselves.
    @Test func pendingApprovalAndUnsignedEvidenceExplainThemselves() throws {
        var state = ReportFixture.state
        state.settings.signaturesRequired = true
        let t04 = try #require(state.items.firstIndex { $0.item.id == "T-04" })
        state.items[t04].status = .pending
        state.items[t04].evidence = state.items[t04].evidence.map {
            EvidenceState(record: $0.record, evidence: $0.evidence, standing: .unsigned, validUntil: $0.validUntil, revocation: $0.revocation,
                          review: $0.review, damagedAttachments: $0.damagedAttachments)
        }
        let t07 = try #require(state.items.firstIndex { $0.item.id == "T-07" })
        state.items[t07].awaitingApproval = state.items[t07].notApplicable
        state.items[t07].notApplicable = nil
        state.items[t07].status = .pending
        let markdown = MarkdownReport(state: state).render()
        #expect(markdown.contains("| Signatures | required \\(a record counts only when its author signed it"))
        #expect(markdown.contains("## What is missing"))
        #expect(markdown.contains("- **T-04** (pending): evidence ev-") && markdown.contains("is not validly signed by alice@example.com, and signatures are required"))
        #expect(markdown.contains("- **T-07** (pending): the not-applicable mark na-") && markdown.contains("counts once cto@example.com co-signs it"))
        #expect(markdown.contains("attest approve na-"))
        let t07Row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| T-07 |") && $0.contains("awaiting") })
        #expect(t07Row.contains("| pending (awaiting approval) |"))
        #expect(markdown.contains("**unsigned**"), "the evidence's standing")

        // A mark whose approver is its author (written before signatures were required) can never be approved:
        // the way out is to revoke it, not `attest approve`, which refuses.
        let mark = try #require(state.items[t07].awaitingApproval)
        guard case .notApplicable(var body) = mark.body else { Issue.record("T-07's mark is not a not-applicable mark"); return }
        body.approvedBy = mark.by
        state.items[t07].awaitingApproval = Record(id: mark.id, checklist: mark.checklist, item: mark.item, recordedAt: mark.recordedAt,
                                                   by: mark.by, body: .notApplicable(body))
        let selfApproved = MarkdownReport(state: state).render()
        #expect(selfApproved.contains("names its own author, \(mark.by), as approver, who cannot co-sign it")
                && selfApproved.contains("attest revoke \(mark.id)") && !selfApproved.contains("attest approve \(mark.id)"), "\(selfApproved)")
    }

    static let problems = ["Checklists/demo/records/T-01/ev-0002.json.sig: signature does not count: the signature does not match these bytes",
                           "Checklists/demo/attachments/sha256/dd/dddd: altered <script> | pipe"]

    static var failing: ChecklistState {
        var state = ReportFixture.state
        state.integrityProblems = problems
        return state
    }

    @Test func integrityFailuresLeadEveryReport() throws {
        let output = try reports.written(Self.failing)
        let lines = output.markdown.split(separator: "\n", omittingEmptySubsequences: false)
        let verdict = try #require(lines.firstIndex { $0.hasPrefix("**Verdict:") })
        #expect(lines[verdict + 2] == "## Integrity failures: 2")
        #expect(output.markdown.contains("- Checklists/demo/records/T-01/ev-0002.json.sig: signature does not count"))
        #expect(output.markdown.contains("altered &lt;script&gt; &#124; pipe"))

        #expect(output.junit.contains("<testsuites name=\"attest\" tests=\"10\" failures=\"4\" errors=\"3\""))
        #expect(output.junit.contains("<testsuite name=\"demo\" tests=\"10\" failures=\"4\" errors=\"3\" skipped=\"2\""))
        let firstCase = try #require(output.junit.range(of: "<testcase "))
        #expect(output.junit[firstCase.lowerBound...].hasPrefix("<testcase name=\"integrity failure 1 of 2\" classname=\"demo.integrity\""))
        #expect(output.junit.components(separatedBy: "type=\"integrity\"").count - 1 == 2, "one error case per failure")

        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.oscal.utf8)) as? [String: Any])
        let result = try #require(((document["assessment-results"] as? [String: Any])?["results"] as? [[String: Any]])?.first)
        let observations = try #require(result["observations"] as? [[String: Any]])
        #expect(observations.prefix(2).map { $0["description"] as? String } == Self.problems)
        #expect(observations.count == 8, "6 evidence records after the 2 failures")
        #expect((result["description"] as? String)?.hasPrefix("Integrity failures: 2") == true)
        #expect(try reports.written(Self.failing).oscal == output.oscal, "deterministic")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: ReportTests.checkJUnit.path), "../shared/tools/check-junit.sh is absent: CI-consumer check skipped"))
    func integrityErrorCasesAreValidJUnit() throws {
        try reports.expectAcceptedByTheCIConsumers(try reports.written(Self.failing))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: OSCALReportTests.validator.path), "../shared/tools/oscal/validate.py is absent: NIST schema check skipped"),
          .enabled(if: OSCALReportTests.hasJSONSchema, "python3's jsonschema is not installed: NIST schema check skipped"))
    func integrityObservationsValidate() throws {
        let output = try reports.written(Self.failing)
        let result = try OSCALReportTests.run(["python3", OSCALReportTests.validator.path, output.directory.url.appendingPathComponent("demo.oscal-ar.json").path])
        #expect(result.status == 0, "validate.py:\n\(result.output)")
    }

    @Test func aSignedMarkdownPrintsTheCommandThatChecksIt() {
        let markdown = MarkdownReport(state: ReportFixture.state, signedAs: ("alice@example.com", "Reports/demo.md")).render()
        #expect(markdown.contains("made as alice@example.com in namespace `attest-report`"))
        #expect(markdown.contains("```sh\nssh-keygen -Y verify -f allowed_signers -I alice@example.com -n attest-report -s Reports/demo.md.sig < Reports/demo.md\n```"))
        #expect(Wording.shellWord("o'brien `x`") == "'o'\\''brien `x`'")
        let odd = MarkdownReport(state: ReportFixture.state, signedAs: ("```evil", "out dir/demo.md")).render()
        #expect(odd.contains("````sh\nssh-keygen -Y verify -f allowed_signers -I '```evil' -n attest-report -s 'out dir/demo.md.sig' < 'out dir/demo.md'\n````"))
    }

    // MARK: The swap

    static let kinds = Set(ReportWriter.Kind.allCases)
    static let names = ["demo.junit.xml", "demo.md", "demo.oscal-ar.json"]

    /// A stand-in for ssh-keygen: the signature names the bytes' SHA-256.
    static let fake = ReportSigning(principal: "alice@example.com") { bytes in Data("signature over \(FileHasher.sha256(of: bytes))".utf8) }

    func contents(_ directory: TemporaryDirectory) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.url.path) where name.hasPrefix("demo.") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(name).path, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            files[name] = try Data(contentsOf: directory.url.appendingPathComponent(name))
        }
        return files
    }

    @Test func signingWritesASignatureBesideEveryFileAndUnsignedRemovesThem() throws {
        let directory = try TemporaryDirectory()
        let temporary = directory.url.appendingPathComponent(".attest/tmp")
        let paths = try ReportWriter.write([ReportFixture.state], to: directory.url, displayDirectory: "out", kinds: Self.kinds,
                                           signing: Self.fake, temporaryDirectory: temporary)
        #expect(paths == ["out/demo.junit.xml", "out/demo.junit.xml.sig", "out/demo.md", "out/demo.md.sig", "out/demo.oscal-ar.json",
                          "out/demo.oscal-ar.json.sig"])
        let signed = try contents(directory)
        for name in Self.names {
            let file = try #require(signed[name]), signature = try #require(signed[name + ".sig"])
            #expect(String(decoding: signature, as: UTF8.self) == "signature over \(FileHasher.sha256(of: file))", "\(name).sig covers \(name)")
        }
        #expect(String(decoding: signed["demo.md"]!, as: UTF8.self).contains("-s out/demo.md.sig < out/demo.md"))

        // A signer that fails: nothing changes.
        let refusing = ReportSigning(principal: "bob@example.com") { _ in throw SigningError.sshKeygenMissing }
        #expect(throws: SigningError.self) {
            try ReportWriter.write([Self.failing], to: directory.url, displayDirectory: "out", kinds: Self.kinds, signing: refusing,
                                   temporaryDirectory: temporary)
        }
        #expect(try contents(directory) == signed, "a failed signed report leaves the old files and signatures")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)

        // Unsigned, but the swap fails at the last file: the signatures removed before it come back.
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("demo.oscal-ar.json"))
        try directory.write("demo.oscal-ar.json/keep", "x")
        let before = try contents(directory)
        #expect(throws: ReportError.self) {
            try ReportWriter.write([Self.failing], to: directory.url, displayDirectory: "out", kinds: Self.kinds, temporaryDirectory: temporary)
        }
        #expect(try contents(directory) == before, "a failed unsigned report removes no signature")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).allSatisfy { !$0.hasSuffix(".old") })
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("demo.oscal-ar.json"))

        // Unsigned and successful: no signature is left beside bytes it does not cover.
        let unsigned = try ReportWriter.write([ReportFixture.state], to: directory.url, displayDirectory: "out", kinds: Self.kinds,
                                              temporaryDirectory: temporary)
        #expect(unsigned == Self.names.map { "out/\($0)" })
        #expect(try contents(directory).keys.sorted() == Self.names)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).allSatisfy { !$0.hasSuffix(".old") })
    }
}
