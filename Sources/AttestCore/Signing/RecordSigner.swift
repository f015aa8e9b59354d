public import Foundation

/// Signs records (and reports) as the person acting, with `ssh-keygen -Y sign`, only as a principal of the
/// key in `allowed_signers`.
public struct RecordSigner: Sendable {
    public var key: SigningKey
    public var allowedSigners: AllowedSigners
    public var keygen: SSHKeygenSigner

    public init(key: SigningKey, allowedSigners: AllowedSigners, keygen: SSHKeygenSigner = SSHKeygenSigner()) {
        self.key = key
        self.allowedSigners = allowedSigners
        self.keygen = keygen
    }

    /// The `.sig` bytes of `bytes`, signed as `principal`, counting at `time`.
    public func sign(_ bytes: Data, as principal: String, at time: Date, namespace: String = RecordSignature.namespace,
                     workspace: Workspace) throws -> Data {
        try keygen.sign(bytes, namespace: namespace, as: principal, key: key, allowedSigners: allowedSigners, at: time,
                        scratchDirectory: try workspace.temporaryDirectoryCreated())
    }

    /// Writes `<path>.sig` for a file whose bytes are `bytes`; never over an existing signature.
    public func writeSignature(of bytes: Data, at url: URL, display: String, as principal: String, at time: Date,
                               namespace: String = RecordSignature.namespace, workspace: Workspace) throws {
        let signature = try sign(bytes, as: principal, at: time, namespace: namespace, workspace: workspace)
        try AtomicFile.write(signature, to: URL(fileURLWithPath: RecordSignature.file(for: url.path)), mode: .createNew,
                             displayPath: RecordSignature.file(for: display), temporaryDirectory: workspace.temporaryDirectory)
    }
}
