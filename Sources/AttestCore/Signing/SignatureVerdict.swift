public import Foundation

/// The answer to "does this signature count for these bytes, this principal, this namespace, at this time?",
/// equal to `ssh-keygen -Y verify -f allowed_signers -I PRINCIPAL -n NAMESPACE -s SIG -Overify-time=TIME`'s.
public enum SignatureVerdict: Hashable, Sendable, CustomStringConvertible {
    case valid(SignedBy)
    case invalid(SignatureProblem)

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    public var signer: SignedBy? {
        if case .valid(let signer) = self { return signer }
        return nil
    }

    public var problem: SignatureProblem? {
        if case .invalid(let problem) = self { return problem }
        return nil
    }

    /// `signed by alice@example.com (ED25519 SHA256:…)`, or `signature does not count: REASON`.
    public var description: String {
        switch self {
        case .valid(let signer): "signed by \(signer)"
        case .invalid(let problem): "signature does not count: \(problem.reason)"
        }
    }
}

/// Who signed, once the signature counts.
public struct SignedBy: Hashable, Sendable, CustomStringConvertible {
    /// The principal asked about (a pattern in `allowed_signers` matched it).
    public var principal: String
    public var key: SSHPublicKey
    /// The line of `allowed_signers` that let the key sign.
    public var allowedSignersLine: Int
    /// Flags and counter of a security-key (`sk-`) signature.
    public var securityKey: SSHPublicKey.SecurityKeyDetails?

    /// `ED25519`, `ECDSA`, `RSA`, `ED25519-SK`, `ECDSA-SK`.
    public var keyType: String { key.kind.label }
    /// `SHA256:…`
    public var fingerprint: String { key.fingerprint }

    /// `alice@example.com (ED25519 SHA256:…)`
    public var description: String { "\(principal) (\(key.kind.label) \(key.fingerprint))" }
}

/// Why a signature does not count: one case, and one wording, per reason.
public enum SignatureProblem: Error, Hashable, Sendable {
    /// Not an SSHSIG signature, truncated, or garbled.
    case malformed(String)
    /// Well formed, but of a key type, hash or algorithm that is not accepted.
    case unsupported(String)
    /// Made for another use (`-n`): attest records use `attest`, reports `attest-report`.
    case wrongNamespace(expected: String, found: String)
    /// Not a signature of these bytes: they changed after signing, or the signature is another file's.
    case wrongBytes
    /// The key is nowhere in `allowed_signers`.
    case keyNotListed(SSHPublicKey)
    /// The key is listed, but not for this principal.
    case wrongPrincipal(principal: String, key: SSHPublicKey)
    /// The key is listed for the principal, but its `namespaces=` leaves this namespace out.
    case namespaceNotAllowed(namespace: String, principal: String, key: SSHPublicKey)
    /// The key's `valid-after` is later than the time asked about.
    case notYetValid(principal: String, key: SSHPublicKey, validAfter: Date)
    /// The key's `valid-before` is earlier than the time asked about.
    case expired(principal: String, key: SSHPublicKey, validBefore: Date)

    public var reason: String {
        switch self {
        case .malformed(let detail):
            "the .sig file is not a readable SSH signature (\(detail))"
        case .unsupported(let detail):
            "the signature cannot be checked: \(detail)"
        case .wrongNamespace(let expected, let found):
            "the signature was made for namespace \"\(found.prefix(80))\", not \"\(expected)\""
        case .wrongBytes:
            "the signature does not match these bytes (they changed after signing, or it is another file's signature)"
        case .keyNotListed(let key):
            "the signing key \(key) is not listed in allowed_signers"
        case .wrongPrincipal(let principal, let key):
            "the signing key \(key) is not listed in allowed_signers for \(principal)"
        case .namespaceNotAllowed(let namespace, let principal, let key):
            "allowed_signers does not permit \(principal)'s key \(key) to sign in namespace \"\(namespace)\""
        case .notYetValid(let principal, let key, let validAfter):
            "\(principal)'s key \(key) is not valid until \(SSHTime.display(validAfter)) (valid-after in allowed_signers)"
        case .expired(let principal, let key, let validBefore):
            "\(principal)'s key \(key) expired at \(SSHTime.display(validBefore)) (valid-before in allowed_signers)"
        }
    }
}
