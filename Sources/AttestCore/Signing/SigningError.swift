public import Foundation

/// What can go wrong reading `allowed_signers` or signing. Messages read like compiler diagnostics and say
/// what to do; the CLI maps every case to exit 2 (nothing is written).
public enum SigningError: Error, LocalizedError, Sendable, Equatable {
    case malformedAllowedSigners(path: String, line: Int, column: Int, detail: String)
    case allowedSignersTooLarge(path: String, limit: Int)
    case allowedSignersUnreadable(path: String, detail: String)
    /// Neither `--key` nor git's `user.signingkey` (with `gpg.format=ssh`) names a key.
    case noSigningKey
    case keyFileMissing(path: String)
    case keyUnreadable(path: String, detail: String)
    /// The key is not listed in `allowed_signers` for the principal and namespace (or not valid now).
    case keyNotAllowed(principal: String, namespace: String, reason: String)
    /// The private key is encrypted and there is no terminal to ask for its passphrase.
    case passphraseNeeded(path: String)
    case sshKeygenMissing
    case sshKeygenFailed(detail: String)
    /// ssh-keygen wrote a signature that does not verify (never expected; nothing is kept).
    case signatureDidNotVerify(reason: String)
    case scratchFailed(detail: String)
    /// `signers add` for a principal and key that are listed already.
    case duplicateSigner(principal: String, key: String, line: Int)
    case invalidPrincipal(String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .malformedAllowedSigners(let path, let line, let column, let detail):
            return "\(path):\(line):\(column): error: \(detail); fix the line (attest reads allowed_signers strictly, where ssh-keygen would skip the line)"
        case .allowedSignersTooLarge(let path, let limit):
            return "\(path): error: larger than the limit of \(limit / (1 << 20)) MiB; is it really an allowed_signers file?"
        case .allowedSignersUnreadable(let path, let detail):
            return "\(path): error: cannot read: \(detail); check that it is a regular file you may read (ls -l)"
        case .noSigningKey:
            return "error: no signing key; pass --key PATH (a private key, or a public key whose private half is in ssh-agent), "
                + "or set git's: git config gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub"
        case .keyFileMissing(let path):
            return "\(path): error: no such key file; pass --key with the path of your SSH key (ls ~/.ssh)"
        case .keyUnreadable(let path, let detail):
            return "\(path): error: cannot read the key: \(detail); pass the key's .pub file, or keep the .pub beside the private key"
        case .keyNotAllowed(let principal, let namespace, let reason):
            return "error: cannot sign as \(principal) in namespace \"\(namespace)\": \(reason); "
                + "an admin adds the key with `attest signers add \(principal) KEY.pub` (and commits allowed_signers)"
        case .passphraseNeeded(let path):
            return "\(path): error: the key needs a passphrase and there is no terminal to ask for it; "
                + "load it into ssh-agent (ssh-add \(path)) and pass its .pub file with --key"
        case .sshKeygenMissing:
            return "error: ssh-keygen not found on PATH; install OpenSSH (apt install openssh-client, or brew install openssh)"
        case .sshKeygenFailed(let detail):
            return "error: ssh-keygen could not sign: \(detail); check the key (ssh-keygen -l -f KEY) and, for a key in an agent, ssh-add -l"
        case .signatureDidNotVerify(let reason):
            return "error: ssh-keygen made a signature that does not verify (\(reason)); nothing was written"
        case .scratchFailed(let detail):
            return "error: cannot write the temporary file to sign: \(detail). \(StoreError.writeRemedy)"
        case .duplicateSigner(let principal, let key, let line):
            return "allowed_signers:\(line): error: \(principal) is listed with the key \(key) already; nothing was added"
        case .invalidPrincipal(let principal, let reason):
            return "error: \"\(String(principal.prefix(100)).visible)\" cannot be a signer: \(reason)"
        }
    }
}
