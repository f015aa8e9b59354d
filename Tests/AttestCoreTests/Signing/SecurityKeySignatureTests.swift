@testable import AttestCore
import Foundation
import Testing

/// `sk-` (FIDO) signatures, made here with software keys in the authenticator's format (no hardware in CI),
/// judged by attest and by `ssh-keygen -Y verify`.
@Suite(.enabled(if: SSHKeygenFixture.available, SSHKeygenFixture.skipReason))
struct SecurityKeySignatureTests {
    let fixture = SSHKeygenFixture.shared
    let message = Data("a record\n".utf8)
    let now = Date.utc("2026-06-01T12:00:00Z")

    @Test("sk- signatures: attest's verdict equals ssh-keygen's, with and without the user-presence flag",
          arguments: [SoftwareSigner.Kind.skEd25519, .skECDSA], [UInt8(0x01), 0x00, 0x05])
    func securityKeyVerdicts(kind: SoftwareSigner.Kind, flags: UInt8) throws {
        let signer = try SoftwareSigner(kind)
        let (key, armored) = (signer.publicKey, try signer.sign(message, flags: flags))
        let text = "alice@example.com namespaces=\"attest\" \(key.authorizedKeyText)\n"
        let signers = try AllowedSigners(parsing: Data(text.utf8))
        for (bytes, principal) in [(message, "alice@example.com"), (message + Data([0x20]), "alice@example.com"), (message, "bob@example.com")] {
            let verdict = signers.verify(signature: armored, of: bytes, principal: principal, namespace: "attest", at: now)
            let oracle = try fixture.sshKeygenVerifies(allowedSigners: text, signature: armored, bytes: bytes, principal: principal,
                                                      namespace: "attest", at: now)
            #expect(verdict.isValid == oracle, "\(kind) flags \(flags) \(principal): attest \(verdict), ssh-keygen \(oracle)")
        }
        let verdict = signers.verify(signature: armored, of: message, principal: "alice@example.com", namespace: "attest", at: now)
        #expect(verdict.signer?.keyType == (kind == .skEd25519 ? "ED25519-SK" : "ECDSA-SK"))
        #expect(verdict.signer?.securityKey == SSHPublicKey.SecurityKeyDetails(flags: flags, counter: 42))
        #expect(verdict.signer?.securityKey?.userPresent == (flags & 1 == 1))
    }

    @Test("no-touch-required is refused in allowed_signers, as ssh-keygen refuses it")
    func noTouchRequiredRefused() throws {
        let key = try SoftwareSigner(.skEd25519).publicKey
        let text = "alice@example.com no-touch-required \(key.authorizedKeyText)\n"
        #expect(throws: SigningError.malformedAllowedSigners(
            path: "allowed_signers", line: 1, column: 19,
            detail: "no-touch-required is not an allowed_signers option (ssh-keygen refuses it too); remove it")) {
            try AllowedSigners(parsing: Data(text.utf8))
        }
    }

    @Test("The key type and fingerprint of sk- keys are ssh-keygen's", arguments: [SoftwareSigner.Kind.skEd25519, .skECDSA])
    func securityKeyFingerprint(kind: SoftwareSigner.Kind) throws {
        let key = try SoftwareSigner(kind).publicKey
        let file = fixture.root.appendingPathComponent("sk-\(UUID().uuidString).pub")
        try Data((key.authorizedKeyText + " test\n").utf8).write(to: file)
        let listing = try SSHKeygenFixture.run(["-l", "-f", file.path]).stdout
        #expect(listing == "256 \(key.fingerprint) test (\(key.kind.label))\n")
    }
}
