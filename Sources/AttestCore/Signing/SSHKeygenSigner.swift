public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signs bytes with `ssh-keygen -Y sign -n NAMESPACE -f KEY`, so that keys in ssh-agent and on security
/// keys work as they do for git. The bytes go to a temporary file in a directory the caller gives;
/// ssh-keygen writes `FILE.sig`; both are removed on every path. Nothing is signed unless the key may sign
/// as the principal in that namespace at that time, and the signature is checked in-process before it is
/// returned, so what comes back always counts.
public struct SSHKeygenSigner: Sendable {
    /// The program to run; nil looks `ssh-keygen` up on `PATH`.
    public var executable: String?
    /// Variables set for ssh-keygen on top of attest's own environment (`SSH_AUTH_SOCK` in tests).
    public var environment: [String: String]

    /// How the temporary files start (`.attest-sign-<UUID>`, `.sig`, `.pub`): a kill -9 mid-signing can leave
    /// them behind, and a later writing command may remove untracked ones.
    public static let scratchPrefix = ".attest-sign-"

    public init(executable: String? = nil, environment: [String: String] = [:]) {
        self.executable = executable
        self.environment = environment
    }

    /// The armored signature (the `.sig` file's bytes) of `bytes`.
    /// - Parameters:
    ///   - principal: who signs (a record's `by`); the key must be listed for it in `allowedSigners`.
    ///   - time: when the signature must count (a record's `recordedAt`).
    ///   - scratchDirectory: where the temporary files go: the workspace's `.attest/tmp/` (whose stale files
    ///     `Workspace.temporaryDirectoryCreated()` removes), so that a kill leaves nothing git shows.
    public func sign(_ bytes: Data, namespace: String, as principal: String, key: SigningKey, allowedSigners: AllowedSigners,
                     at time: Date, scratchDirectory: URL) throws -> Data {
        let publicKey = try key.publicKey()
        if case .failure(let problem) = allowedSigners.authorize(publicKey, principal: principal, namespace: namespace, at: time) {
            throw SigningError.keyNotAllowed(principal: principal, namespace: namespace, reason: problem.reason)
        }
        guard let program = executable ?? Subprocess.locate("ssh-keygen") else { throw SigningError.sshKeygenMissing }

        let base = scratchDirectory.appendingPathComponent(Self.scratchPrefix + UUID().uuidString).path
        var scratch = [base, base + ".sig"]
        // Removed after signing, and by a signal that interrupts it.
        var registrations = scratch.map(Interruption.removeOnSignal)
        defer {
            for path in scratch { unlink(path) }
            registrations.forEach(Interruption.forget)
        }
        let keyPath: String
        switch key.location {
        case .file(let path):
            keyPath = path
        case .literal(let literal):
            keyPath = base + ".pub"
            scratch.append(keyPath)
            registrations.append(Interruption.removeOnSignal(keyPath))
            try Self.writeScratch(Data((literal.authorizedKeyText + "\n").utf8), to: keyPath)
        }
        try Self.writeScratch(bytes, to: base)

        let outcome = try Self.run(program, ["-Y", "sign", "-q", "-n", namespace, "-f", keyPath, base], environment: environment)
        guard outcome.status == 0 else {
            throw Self.interpret(outcome.standardError, keyPath: keyPath, key: key)
        }
        guard let handle = FileHandle(forReadingAtPath: base + ".sig") else {
            throw SigningError.sshKeygenFailed(detail: "it wrote no signature file")
        }
        let signature = (try? handle.read(upToCount: SSHSignature.maximumArmoredSize + 1)) ?? Data()
        try? handle.close()
        let verdict = allowedSigners.verify(signature: signature, of: bytes, principal: principal, namespace: namespace, at: time)
        if case .invalid(let problem) = verdict { throw SigningError.signatureDidNotVerify(reason: problem.reason) }
        return signature
    }

    /// Maps ssh-keygen's complaint to an error that says what to do.
    static func interpret(_ standardError: String, keyPath: String, key: SigningKey) -> SigningError {
        let lines = standardError.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let text = lines.joined(separator: "; ")
        // With a terminal, ssh-keygen asked: a passphrase complaint then means a wrong one, and its words say so.
        if text.localizedCaseInsensitiveContains("passphrase") && !hasTerminal {
            return .passphraseNeeded(path: keyPath)
        }
        if text.contains("No such file") {
            if case .file(let path) = key.location { return .keyFileMissing(path: path) }
        }
        return .sshKeygenFailed(detail: text.isEmpty ? "it failed without saying why" : String(text.prefix(400)))
    }

    static func writeScratch(_ data: Data, to path: String) throws {
        do {
            try AtomicFile.writeAll(data, to: path)
        } catch {
            throw SigningError.scratchFailed(detail: "\(path): \(error)")
        }
    }


    /// Whether a passphrase prompt could reach a person: ssh-keygen asks on the controlling terminal.
    static var hasTerminal: Bool {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// Runs the program and collects its standard error. Without a terminal, standard input is /dev/null and
    /// askpass helpers are off, so that a passphrase prompt fails at once instead of hanging.
    static func run(_ program: String, _ arguments: [String], environment extra: [String: String]) throws -> (status: Int32, standardError: String) {
        var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let terminal = hasTerminal
        if !terminal {
            environment["SSH_ASKPASS_REQUIRE"] = "never"
            environment.removeValue(forKey: "SSH_ASKPASS")
            environment.removeValue(forKey: "DISPLAY")
        }
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(program, arguments, environment: environment, input: terminal ? .inherited : .nullDevice,
                                         captureOutput: false)
        } catch {
            throw SigningError.sshKeygenMissing
        }
        return (outcome.status, String(decoding: outcome.errors.prefix(64 * 1024), as: UTF8.self))
    }
}
