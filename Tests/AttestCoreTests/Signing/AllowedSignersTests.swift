@testable import AttestCore
import AttestTestSupport
import Foundation
import Testing

@Suite struct AllowedSignersTests {
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcvZ+vtFM4UKQNLIpY4dS2lYdAbbk0o5PWd/MGbZqpC"
    static let fingerprint = "SHA256:clFnRq/s4tkEnMEnH8mm5TV0AHdH5c+OY0JPRILTKNo"

    func parse(_ text: String) throws -> AllowedSigners { try AllowedSigners(parsing: Data(text.utf8)) }

    @Test func readsEveryField() throws {
        let signers = try parse("""
            # who may sign
            alice@example.com \(Self.key) alice laptop

            \t"bob smith@example.com,*@ops.example.com" NAMESPACES="attest",valid-after="20260101Z",Valid-Before="202701021530Z" \(Self.key)\r
            """)
        #expect(signers.entries.count == 2)
        let alice = signers.entries[0], bob = signers.entries[1]
        #expect(alice.line == 2 && alice.principals == "alice@example.com" && alice.namespaces == nil)
        #expect(alice.key.fingerprint == Self.fingerprint && alice.key.kind.label == "ED25519")
        #expect(alice.validAfter == nil && alice.validBefore == nil)
        #expect(bob.line == 4)
        #expect(bob.principalPatterns == ["bob smith@example.com", "*@ops.example.com"])
        #expect(bob.namespaces == "attest")
        #expect(bob.validAfter == .utc("2026-01-01T00:00:00Z"))
        #expect(bob.validBefore == .utc("2027-01-02T15:30:00Z"))
        #expect(bob.lists(principal: "bob smith@example.com") && bob.lists(principal: "x@ops.example.com"))
        #expect(!bob.lists(principal: "Bob smith@example.com"))
    }

    @Test("Malformed lines are errors naming allowed_signers:LINE:COL", arguments: [
        ("alice@example.com", 1, 18, "no key"),
        ("alice@example.com   ", 1, 21, "no key"),
        ("\"alice@example.com \(key)", 1, 1, "never closed"),
        ("al\"ice@example.com \(key)", 1, 3, "quote inside the principals"),
        ("alice@example.com,,bob@example.com \(key)", 1, 19, "empty principal pattern"),
        ("alice@example.com, \(key)", 1, 19, "empty principal pattern"),
        ("alice@example.com cert-authority \(key)", 1, 19, "cert-authority"),
        ("alice@example.com namespaces=attest \(key)", 1, 30, "double quotes"),
        ("alice@example.com namespaces=\"attest \(key)", 1, 30, "no closing quote"),
        ("alice@example.com namespaces=\"\" \(key)", 1, 31, "namespace list is empty"),
        ("alice@example.com valid-before=\"20260101\" \(key)", 1, 33, "no Z"),
        ("alice@example.com valid-before=\"2026010Z\" \(key)", 1, 33, "not YYYYMMDD"),
        ("alice@example.com valid-before=\"20260230Z\" \(key)", 1, 33, "not a real date"),
        ("alice@example.com valid-after=\"20270101Z\",valid-before=\"20260101Z\" \(key)", 1, 1, "not after valid-after"),
        ("alice@example.com valid-after=\"20270101Z\",valid-after=\"20280101Z\" \(key)", 1, 43, "given twice"),
        ("alice@example.com namespaces=\"attest\", \(key)", 1, 39, "end with a comma"),
        ("alice@example.com from=\"*.example.com\" \(key)", 1, 19, "unknown option"),
        ("alice@example.com verify-required \(key)", 1, 19, "not an allowed_signers option"),
        ("alice@example.com namespaces=\"attest\"", 1, 38, "no key after its options"),
        ("alice@example.com ssh-ed25519", 1, 30, "no base64"),
        ("alice@example.com ssh-ed25519 AAAA!!!!", 1, 31, "base64"),
        ("alice@example.com ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIAcvZ+vtFM4UKQNLIpY4dS2lYdAbbk0o5PWd/MGbZqpC", 1, 27, "the line says ssh-rsa"),
        ("alice@example.com ssh-dss AAAAB3NzaC1kc3M=", 1, 19, "not supported"),
        ("alice@example.com ssh-ed25519-cert-v01@openssh.com AAAA", 1, 19, "not supported"),
        ("# fine\n\nalice@example.com \u{7}\(key)", 3, 19, "control character"),
        ("ok@example.com \(key)\nbad", 2, 4, "no key"),
    ])
    func malformedLine(text: String, line: Int, column: Int, detail: String) throws {
        do {
            _ = try parse(text)
            Issue.record("parsed: \(text)")
        } catch let SigningError.malformedAllowedSigners(path, gotLine, gotColumn, gotDetail) {
            #expect(path == "allowed_signers")
            #expect(gotLine == line && gotColumn == column, "\(gotLine):\(gotColumn): \(gotDetail)")
            #expect(gotDetail.contains(detail), "\(gotDetail)")
        }
    }

    @Test func errorReadsLikeADiagnostic() {
        let error = SigningError.malformedAllowedSigners(path: "allowed_signers", line: 3, column: 19, detail: "cert-authority lines are not supported")
        #expect(error.errorDescription!.hasPrefix("allowed_signers:3:19: error: cert-authority lines are not supported; fix the line"))
    }

    @Test func sizeIsBounded() {
        let big = Data(repeating: 0x23, count: AllowedSigners.maximumSize + 1)
        #expect(throws: SigningError.allowedSignersTooLarge(path: "allowed_signers", limit: AllowedSigners.maximumSize)) {
            try AllowedSigners(parsing: big)
        }
        let longLine = "# " + String(repeating: "x", count: AllowedSigners.maximumLineLength)
        #expect(throws: SigningError.self) { try parse(longLine) }
    }

    @Test("Pattern lists match as OpenSSH's match_pattern_list does", arguments: [
        ("alice@example.com", "alice@example.com", SSHPattern.Match.positive),
        ("alice@example.com", "Alice@example.com", .none),
        ("alice@example.com", "*@example.com", .positive),
        ("alice@example.com", "alice@example.co?", .positive),
        ("alice@example.com", "alice@example.c?", .none),
        ("alice@example.com", "*", .positive),
        ("", "*", .positive),
        ("alice@example.com", "bob@example.com,*@example.com", .positive),
        ("alice@example.com", "*@example.com,!alice@example.com", .negated),
        ("alice@example.com", "!alice@*,*", .negated),
        ("bob@example.com", "!alice@*", .none),
        ("a*b", "a\\*b", .none),
        ("aXb", "a*b*", .positive),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c", .none),
        ("attest", "att*,!attest-report", .positive),
        ("attest-report", "att*,!attest-report", .negated),
    ])
    func patterns(string: String, list: String, expected: SSHPattern.Match) {
        #expect(SSHPattern.matchList(Array(string.utf8), Array(list.utf8)) == expected)
    }

    @Test func verifyTimeIsTruncatedToTheSecond() throws {
        #expect(SSHTime.verifyTime(Date.utc("2026-11-27T14:30:05Z").addingTimeInterval(0.999)) == "20261127143005Z")
        #expect(SSHTime.verifyTime(.utc("2000-02-29T00:00:00Z")) == "20000229000000Z")
        #expect(try SSHTime.parse(Array("20000229Z".utf8)).get() == Int64(Date.utc("2000-02-29T00:00:00Z").timeIntervalSince1970))
        #expect((try? SSHTime.parse(Array("19000229Z".utf8)).get()) == nil)
        #expect((try? SSHTime.parse(Array("19700101Z".utf8)).get()) == nil)
    }

    @Test func appendKeepsEveryByteAndRefusesDuplicates() throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("allowed_signers")
        let original = "# team\nbob@example.com  valid-before=\"20260101Z\"   \(Self.key) bob's old key"  // no final newline
        try Data(original.utf8).write(to: file)
        let key = try SSHPublicKey(authorizedKey: Self.key)
        let entry = try AllowedSigners.append(principal: "alice@example.com", key: key, to: file)
        #expect(entry.line == 3 && entry.namespaces == "attest,attest-report")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == original + "\nalice@example.com namespaces=\"attest,attest-report\" \(Self.key)\n")
        #expect(throws: SigningError.duplicateSigner(principal: "alice@example.com", key: key.description, line: 3)) {
            try AllowedSigners.append(principal: "alice@example.com", key: key, to: file)
        }
        for bad in ["*@example.com", "a,b", "two words", "!x", "\"q\"", ""] {
            #expect(throws: SigningError.self) { try AllowedSigners.append(principal: bad, key: key, to: file) }
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == text)
        // A malformed file is reported, not appended to.
        try Data("broken\n".utf8).write(to: file)
        #expect(throws: SigningError.malformedAllowedSigners(path: "allowed_signers", line: 1, column: 7,
                                                            detail: "the line has principals but no key; expected PRINCIPALS [OPTIONS] KEYTYPE BASE64")) {
            try AllowedSigners.append(principal: "carol@example.com", key: key, to: file)
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "broken\n")
    }
}

