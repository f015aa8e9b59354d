@testable import AttestCore
import Crypto
import Foundation

/// Makes SSHSIG signatures in-process with software keys, in exactly the format ssh-keygen and FIDO
/// authenticators produce: for security-key (`sk-`) kinds with no hardware at hand, and for benchmarks that
/// need 10^5 signatures (ssh-keygen takes milliseconds per signature).
struct SoftwareSigner {
    enum Kind: String, CaseIterable, Sendable { case ed25519, skEd25519, skECDSA }

    let kind: Kind
    let publicKey: SSHPublicKey
    private let ed25519: Curve25519.Signing.PrivateKey?
    private let p256: P256.Signing.PrivateKey?
    static let application = Array("ssh:".utf8)

    init(_ kind: Kind) throws {
        self.kind = kind
        var blob = SSHWireWriter()
        switch kind {
        case .ed25519, .skEd25519:
            let key = Curve25519.Signing.PrivateKey()
            ed25519 = key
            p256 = nil
            blob.writeString(kind == .ed25519 ? "ssh-ed25519" : "sk-ssh-ed25519@openssh.com")
            blob.writeString(Array(key.publicKey.rawRepresentation))
        case .skECDSA:
            let key = P256.Signing.PrivateKey()
            p256 = key
            ed25519 = nil
            blob.writeString("sk-ecdsa-sha2-nistp256@openssh.com")
            blob.writeString("nistp256")
            blob.writeString(Array(key.publicKey.x963Representation))
        }
        if kind != .ed25519 { blob.writeString(Self.application) }
        publicKey = try SSHPublicKey(blob: blob.bytes)
    }

    /// The armored signature of `message`; `flags` and `counter` are what a security key would report.
    func sign(_ message: Data, namespace: String = "attest", flags: UInt8 = 0x01, counter: UInt32 = 42) throws -> Data {
        var toSign = SSHWireWriter()
        toSign.write(Array("SSHSIG".utf8))
        toSign.writeString(namespace)
        toSign.writeString([UInt8]())
        toSign.writeString("sha512")
        toSign.writeString(Array(SHA512.hash(data: message)))
        var signatureBlob = SSHWireWriter()
        switch kind {
        case .ed25519:
            signatureBlob.writeString("ssh-ed25519")
            signatureBlob.writeString(Array(try ed25519!.signature(for: toSign.bytes)))
        case .skEd25519, .skECDSA:
            var authenticatorData = Array(SHA256.hash(data: Self.application))
            authenticatorData.append(flags)
            authenticatorData += [UInt8(counter >> 24), UInt8(counter >> 16 & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter & 0xFF)]
            authenticatorData += Array(SHA256.hash(data: toSign.bytes))
            signatureBlob.writeString(publicKey.kind.rawValue)
            if kind == .skEd25519 {
                signatureBlob.writeString(Array(try ed25519!.signature(for: authenticatorData)))
            } else {
                let raw = Array(try p256!.signature(for: authenticatorData).rawRepresentation)
                var inner = SSHWireWriter()
                inner.writeMPInt(Array(raw[0..<32].drop { $0 == 0 }))
                inner.writeMPInt(Array(raw[32..<64].drop { $0 == 0 }))
                signatureBlob.writeString(inner.bytes)
            }
            signatureBlob.write([flags])
            signatureBlob.writeUInt32(counter)
        }
        var whole = SSHWireWriter()
        whole.write(Array("SSHSIG".utf8))
        whole.writeUInt32(1)
        whole.writeString(publicKey.blob)
        whole.writeString(namespace)
        whole.writeString([UInt8]())
        whole.writeString("sha512")
        whole.writeString(signatureBlob.bytes)
        let base64 = Data(whole.bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return Data(("-----BEGIN SSH SIGNATURE-----\n" + base64 + "\n-----END SSH SIGNATURE-----\n").utf8)
    }
}
