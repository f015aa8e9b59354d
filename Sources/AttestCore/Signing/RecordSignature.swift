public import Foundation

/// A record's detached signature (`<record-id>.json.sig`, SSHSIG in namespace `attest` over the record's
/// exact bytes) as judged when the record was read: for the record's `by`, at its `recordedAt`.
public enum RecordSignature: Hashable, Sendable, CustomStringConvertible {
    case unsigned
    case valid(SignedBy)
    /// A `.sig` is present but does not make its record count; the reason, in `SignatureProblem`'s words.
    case invalid(String)

    public static let namespace = "attest"
    public static let reportNamespace = "attest-report"

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    public var signer: SignedBy? {
        if case .valid(let signer) = self { return signer }
        return nil
    }

    /// `signed by alice@example.com (ED25519 SHA256:…)`, `unsigned`, or why the signature does not count.
    public var description: String {
        switch self {
        case .unsigned: "unsigned"
        case .valid(let signer): "signed by \(signer)"
        case .invalid(let reason): "signature does not count: \(reason)"
        }
    }

    /// The signature file of a record file.
    public static func file(for recordPath: String) -> String { recordPath + ".sig" }
}

/// What reading records needs to judge signatures: `allowed_signers` at the workspace root (empty when
/// absent), its SHA-256, and the verdicts of earlier runs (`.attest/`), keyed by the hashes of the record,
/// the signature and `allowed_signers`, so that deleting `.attest/` changes no answer.
public struct SignatureContext: Sendable {
    public let allowedSigners: AllowedSigners
    /// nil when the workspace has no `allowed_signers`.
    public let allowedSignersSHA256: String?
    /// Read on the first signature that is judged: with the record cache warm, none is.
    private let verdicts: Locked<[String: SignatureCache.Entry]?>
    private let readsVerdicts: Bool
    let cacheURL: URL?

    public init(allowedSigners: AllowedSigners, allowedSignersSHA256: String?, cacheURL: URL? = nil, readsVerdicts: Bool = false) {
        self.allowedSigners = allowedSigners
        self.allowedSignersSHA256 = allowedSignersSHA256
        self.cacheURL = cacheURL
        self.readsVerdicts = readsVerdicts
        verdicts = Locked(nil)
    }

    /// The verdicts of earlier runs (none when reading afresh).
    private var cache: [String: SignatureCache.Entry] {
        verdicts.withLock { loaded in
            if loaded == nil {
                loaded = readsVerdicts
                    ? cacheURL.flatMap { url in allowedSignersSHA256.map { SignatureCache.load(url, allowedSigners: $0) } } ?? [:] : [:]
            }
            return loaded!
        }
    }

    /// `allowed_signers` of the workspace (a malformed line is exit 2 naming `allowed_signers:LINE:COL`).
    /// Without `cached`, every signature is verified afresh (what `verify` does: a cache is never evidence).
    public static func load(_ workspace: Workspace, checklist: String, cached: Bool = true) throws -> SignatureContext {
        let url = workspace.root.appendingPathComponent(AllowedSigners.fileName)
        guard Identifier.isChecklistID(checklist), let kind = SafeFile.kind(of: url.path) else {
            return SignatureContext(allowedSigners: AllowedSigners(entries: []), allowedSignersSHA256: nil)
        }
        guard kind == .regular else { throw StoreError.notRegularFile(path: AllowedSigners.fileName, kind: kind.rawValue) }
        let data = try SafeFile.read(url.path, display: AllowedSigners.fileName, limit: AllowedSigners.maximumSize, what: "allowed_signers file")
        let sha256 = FileHasher.sha256(of: data)
        let cacheURL = workspace.cacheDirectory.appendingPathComponent("signatures-\(checklist).json")
        return SignatureContext(allowedSigners: try AllowedSigners(parsing: data), allowedSignersSHA256: sha256, cacheURL: cacheURL,
                                readsVerdicts: cached)
    }

    /// The verdict on one record's signature, from the cache when its inputs' hashes are known.
    func judge(record: Record, bytes: Data, recordSHA256: String, signature: Data) -> (RecordSignature, SignatureCache.Entry?) {
        let key = recordSHA256 + ":" + FileHasher.sha256(of: signature)
        if let entry = cache[key], let signer = entry.signer { return (.valid(signer), nil) }
        let verdict = allowedSigners.verify(signature: signature, of: bytes, principal: record.by, namespace: RecordSignature.namespace,
                                            at: record.recordedAt)
        switch verdict {
        case .valid(let signer): return (.valid(signer), SignatureCache.Entry(key: key, signer: signer))
        case .invalid(let problem): return (.invalid(problem.reason), nil)
        }
    }

    /// Adds the new valid verdicts to the cache (a cache that cannot be written costs only speed).
    func remember(_ entries: [SignatureCache.Entry]) {
        guard let cacheURL, let allowedSignersSHA256, !entries.isEmpty else { return }
        var merged = cache
        for entry in entries { merged[entry.key] = entry }
        SignatureCache.save(merged, to: cacheURL, allowedSigners: allowedSignersSHA256)
    }
}

/// Valid verdicts of earlier runs, in `.attest/signatures-<checklist>.json`; only for the `allowed_signers`
/// whose SHA-256 it names.
public enum SignatureCache {
    public struct Entry: Codable, Hashable, Sendable {
        /// `<record SHA-256>:<signature SHA-256>`
        var key: String
        var principal: String
        var publicKey: String
        var line: Int

        init(key: String, signer: SignedBy) {
            self.key = key
            principal = signer.principal
            publicKey = signer.key.authorizedKeyText
            line = signer.allowedSignersLine
        }

        var signer: SignedBy? {
            guard let key = try? SSHPublicKey(authorizedKey: publicKey) else { return nil }
            return SignedBy(principal: principal, key: key, allowedSignersLine: line, securityKey: nil)
        }
    }

    struct File: Codable {
        var allowedSigners: String
        var entries: [Entry]
    }

    static func load(_ url: URL, allowedSigners: String) -> [String: Entry] {
        guard let data = SafeFile.readPrivateCache(url.path, limit: 256 << 20),
              let file = try? JSONDecoder().decode(File.self, from: data), file.allowedSigners == allowedSigners
        else { return [:] }
        return Dictionary(file.entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func save(_ entries: [String: Entry], to url: URL, allowedSigners: String) {
        guard let data = try? JSONEncoder().encode(File(allowedSigners: allowedSigners, entries: Array(entries.values))) else { return }
        try? AtomicFile.write(data, to: url, mode: .replace)
    }
}
