@testable import AttestCore
import Crypto
import Foundation
import Testing

/// `sk-` (FIDO) signatures, made here with software keys in the authenticator's format (no hardware in CI),
/// judged by attest and by `ssh-keygen -Y verify`.
@Suite(.enabled(if: SSHKeygenFixture.available, SSHKeygenFixture.skipReason))
struct SecurityKeySignatureTests {
    let fixture = SSHKeygenFixture.shared
    let message = Data("a record\n".utf8)
    let now = Date.utc("2026-06-01T12:00:00Z")

    enum Kind: String, CaseIterable { case ed25519, ecdsa }

    /// An SSHSIG by a software stand-in for a security key, with the given flags (bit 0: user presence).
    static func sign(_ message: Data, kind: Kind, flags: UInt8, namespace: String = "attest") throws -> (key: SSHPublicKey, armored: Data) {
        let application = Array("ssh:".utf8)
        var keyBlob = SSHWireWriter()
        let signer: ([UInt8]) throws -> [UInt8]
        switch kind {
        case .ed25519:
            let privateKey = Curve25519.Signing.PrivateKey()
            keyBlob.writeString("sk-ssh-ed25519@openssh.com")
            keyBlob.writeString(Array(privateKey.publicKey.rawRepresentation))
            signer = { Array(try privateKey.signature(for: $0)) }
        case .ecdsa:
            let privateKey = P256.Signing.PrivateKey()
            keyBlob.writeString("sk-ecdsa-sha2-nistp256@openssh.com")
            keyBlob.writeString("nistp256")
            keyBlob.writeString(Array(privateKey.publicKey.x963Representation))
            signer = {
                let raw = Array(try privateKey.signature(for: $0).rawRepresentation)
                var inner = SSHWireWriter()
                inner.writeMPInt(Array(raw[0..<32].drop { $0 == 0 }))
                inner.writeMPInt(Array(raw[32..<64].drop { $0 == 0 }))
                return inner.bytes
            }
        }
        keyBlob.writeString(application)
        var toSign = SSHWireWriter()
        toSign.write(Array("SSHSIG".utf8))
        toSign.writeString(namespace)
        toSign.writeString([UInt8]())
        toSign.writeString("sha512")
        toSign.writeString(Array(SHA512.hash(data: message)))
        let counter: UInt32 = 42
        var authenticatorData = Array(SHA256.hash(data: application))
        authenticatorData.append(flags)
        authenticatorData += [0, 0, 0, UInt8(counter)]
        authenticatorData += Array(SHA256.hash(data: toSign.bytes))
        var signatureBlob = SSHWireWriter()
        signatureBlob.writeString(kind == .ed25519 ? "sk-ssh-ed25519@openssh.com" : "sk-ecdsa-sha2-nistp256@openssh.com")
        signatureBlob.writeString(try signer(authenticatorData))
        signatureBlob.write([flags])
        signatureBlob.writeUInt32(counter)
        var whole = SSHWireWriter()
        whole.write(Array("SSHSIG".utf8))
        whole.writeUInt32(1)
        whole.writeString(keyBlob.bytes)
        whole.writeString(namespace)
        whole.writeString([UInt8]())
        whole.writeString("sha512")
        whole.writeString(signatureBlob.bytes)
        let armored = "-----BEGIN SSH SIGNATURE-----\n" + Data(whole.bytes).base64EncodedString(options: .lineLength64Characters)
            .replacingOccurrences(of: "\r\n", with: "\n") + "\n-----END SSH SIGNATURE-----\n"
        return (try SSHPublicKey(blob: keyBlob.bytes), Data(armored.utf8))
    }

    @Test("sk- signatures: attest's verdict equals ssh-keygen's, with and without the user-presence flag",
          arguments: [Kind.ed25519, .ecdsa], [UInt8(0x01), 0x00, 0x05])
    func securityKeyVerdicts(kind: Kind, flags: UInt8) throws {
        let (key, armored) = try Self.sign(message, kind: kind, flags: flags)
        let text = "alice@example.com namespaces=\"attest\" \(key.authorizedKeyText)\n"
        let signers = try AllowedSigners(parsing: Data(text.utf8))
        for (bytes, principal) in [(message, "alice@example.com"), (message + Data([0x20]), "alice@example.com"), (message, "bob@example.com")] {
            let verdict = signers.verify(signature: armored, of: bytes, principal: principal, namespace: "attest", at: now)
            let oracle = try fixture.sshKeygenVerifies(allowedSigners: text, signature: armored, bytes: bytes, principal: principal,
                                                      namespace: "attest", at: now)
            #expect(verdict.isValid == oracle, "\(kind) flags \(flags) \(principal): attest \(verdict), ssh-keygen \(oracle)")
        }
        let verdict = signers.verify(signature: armored, of: message, principal: "alice@example.com", namespace: "attest", at: now)
        #expect(verdict.signer?.keyType == (kind == .ed25519 ? "ED25519-SK" : "ECDSA-SK"))
        #expect(verdict.signer?.securityKey == SSHPublicKey.SecurityKeyDetails(flags: flags, counter: 42))
        #expect(verdict.signer?.securityKey?.userPresent == (flags & 1 == 1))
    }

    @Test("no-touch-required is refused in allowed_signers, as ssh-keygen refuses it")
    func noTouchRequiredRefused() throws {
        let (key, _) = try Self.sign(message, kind: .ed25519, flags: 0)
        let text = "alice@example.com no-touch-required \(key.authorizedKeyText)\n"
        #expect(throws: SigningError.malformedAllowedSigners(
            path: "allowed_signers", line: 1, column: 19,
            detail: "no-touch-required is not an allowed_signers option (ssh-keygen refuses it too); remove it")) {
            try AllowedSigners(parsing: Data(text.utf8))
        }
    }

    @Test("The key type and fingerprint of sk- keys are ssh-keygen's", arguments: [Kind.ed25519, .ecdsa])
    func securityKeyFingerprint(kind: Kind) throws {
        let (key, _) = try Self.sign(message, kind: kind, flags: 1)
        let file = fixture.root.appendingPathComponent("sk-\(UUID().uuidString).pub")
        try Data((key.authorizedKeyText + " test\n").utf8).write(to: file)
        let listing = try SSHKeygenFixture.run(["-l", "-f", file.path]).stdout
        #expect(listing == "256 \(key.fingerprint) test (\(key.kind.label))\n")
    }
}
