public import AttestCore
public import Foundation

/// `attest import`: reads a matrix, matches its rows to the item table in effect, stores the source under
/// its SHA-256 and writes one import record. That record is the only thing that changes the checklist, so an
/// import killed at any moment leaves either the old or the new checklist.
public struct MatrixImport: Sendable {
    public struct Options: Sendable {
        public var party: String?
        public var provider: String?
        public var prefix: String?
        public var taskColumn: String?
        public var sourceVersion: String?
        public var sourceURL: String?
        public var dryRun = false
        /// `--sign`: sign the import record (the default once the checklist requires signatures).
        public var sign = false

        public init(party: String? = nil, provider: String? = nil, prefix: String? = nil, taskColumn: String? = nil,
                    sourceVersion: String? = nil, sourceURL: String? = nil, dryRun: Bool = false, sign: Bool = false) {
            self.party = party
            self.provider = provider
            self.prefix = prefix
            self.taskColumn = taskColumn
            self.sourceVersion = sourceVersion
            self.sourceURL = sourceURL
            self.dryRun = dryRun
            self.sign = sign
        }
    }

    public struct Outcome: Sendable {
        public var checklist: Checklist
        public var matrix: ParsedMatrix
        public var changes: ChecklistBuilder.Changes
        public var isFirstImport: Bool
        /// The import records this one follows; two or more when it resolved a fork.
        public var follows: [String]
        /// Where the import record was written (nil on a dry run).
        public var recordPath: String?
        /// Who signed the import record (nil when unsigned).
        public var signedBy: String? = nil
    }

    public var workspace: Workspace
    public var checklistID: String
    public var options: Options

    public init(workspace: Workspace, checklistID: String, options: Options) {
        self.workspace = workspace
        self.checklistID = checklistID
        self.options = options
    }

    /// Imports `matrixURL`; `displayPath` is the path as the user gave it. `signer` makes the signer when
    /// the record is to be signed (`--sign`, or signatures required).
    public func run(matrixURL: URL, displayPath: String, by: @autoclosure () -> String, now: Date = Date(),
                    signer makeSigner: (() throws -> RecordSigner)? = nil) throws -> Outcome {
        let now = Timestamp.truncatedToMilliseconds(now)
        guard Identifier.isChecklistID(checklistID) else { throw StoreError.invalidChecklistID(checklistID) }
        if let prefix = options.prefix, !Identifier.isItemPrefix(prefix.uppercased()) {
            throw StoreError.invalidInput("--prefix \"\(prefix)\" must be a letter followed by letters and digits, e.g. ACCS")
        }
        if let url = options.sourceURL, URL(string: url)?.scheme == nil {
            throw StoreError.invalidInput("--source-url \"\(url)\" is not a URL; give it with its scheme, e.g. https://experienceleague.adobe.com/…")
        }
        let data = try MatrixReader.contents(of: matrixURL, path: displayPath)
        let reader = MatrixReader(party: options.party, provider: options.provider, taskColumn: options.taskColumn)
        let matrix = try reader.read(data: data, fileName: matrixURL.lastPathComponent, path: displayPath)
        let store = workspace.store(for: checklistID)
        let sha256 = FileHasher.sha256(of: data)

        return try store.withLock {
            // Only import and settings records: a bad evidence record elsewhere never blocks an import.
            let signatures = try SignatureContext.load(workspace, checklist: checklistID)
            let loaded = store.exists ? try store.loadRecords(.checklistRecords, signatures: signatures).checked() : []
            let (settings, unsigned) = Evaluator.settingsAndUnsigned(loaded)
            let heads = ImportChain(records: loaded, excluding: unsigned).heads(asOf: .distantFuture)
            var signer: RecordSigner?
            if options.sign || settings.signaturesRequired {
                guard let makeSigner else {
                    throw StoreError.invalidInput("this checklist requires signatures: import with --sign (and --key KEY, or git's user.signingkey)")
                }
                if !options.dryRun { signer = try makeSigner() }
            }
            let previous = heads.compactMap { stored -> ImportRecord? in
                if case .import(let body) = stored.record.body { return body }
                return nil
            }
            let latest = previous.last
            if let latest, let wanted = options.prefix?.uppercased(), wanted != latest.prefix {
                throw StoreError.invalidInput("--prefix \(wanted) differs from the checklist's prefix \(latest.prefix); item IDs never change, so re-import without --prefix (or import into a new checklist)")
            }
            let prefix = options.prefix?.uppercased() ?? latest?.prefix ?? Checklist.defaultPrefix(forChecklistID: checklistID)
            guard Identifier.isItemPrefix(prefix) else {
                throw StoreError.invalidInput("the item-ID prefix derived from \"\(checklistID)\" would be \"\(prefix)\", which is not a letter followed by letters and digits; give one with --prefix, e.g. --prefix ACCS")
            }
            let sameSource = previous.count == 1 && latest?.source.sha256 == sha256
            let built = ChecklistBuilder(checklistID: checklistID, prefix: prefix)
                .build(from: matrix, previous: previous.map(\.items), sameSource: sameSource, at: now)
            let source = SourceMatrix(
                file: ChecklistStore.sourceFile(sha256: sha256), importedFrom: Self.origin(of: matrixURL, in: workspace), sha256: sha256,
                version: options.sourceVersion ?? (sameSource ? latest?.source.version : nil),
                url: options.sourceURL ?? latest?.source.url)
            let body = ImportRecord(
                source: source, customerParty: matrix.customerParty, provider: matrix.provider, parties: matrix.parties, prefix: prefix,
                added: built.changes.added, removed: built.changes.removed, changed: built.changes.changed, items: built.items,
                title: latest?.title ?? matrix.title, follows: heads.map(\.record.id), readerVersion: MatrixReader.version,
                options: ImportOptions(party: options.party, provider: options.provider, taskColumn: options.taskColumn))
            let record = Record(id: Record.makeID(type: .import, at: now), checklist: checklistID, item: nil, recordedAt: now,
                                by: by(), body: .import(body))
            var outcome = Outcome(
                checklist: Checklist(id: checklistID, importedAt: now, body: body, settings: ChecklistSettings()), matrix: matrix,
                changes: built.changes, isFirstImport: heads.isEmpty, follows: body.follows ?? [], recordPath: nil)
            outcome.checklist.settings = settings
            if options.dryRun { return outcome }

            let sourcePath = store.directory.appendingPathComponent(source.file).path
            let sourceExisted = SafeFile.kind(of: sourcePath) != nil
            do {
                _ = try store.storeSource(data)
                outcome.recordPath = try store.write(record, signer: signer)
                if signer != nil { outcome.signedBy = record.by }
            } catch {
                if !sourceExisted { unlink(sourcePath) }
                Self.removeEmptyFolders(store.directory)
                throw error
            }
            return outcome
        }
    }

    /// Where the matrix came from, without a person's local paths: relative to the workspace when it lies
    /// inside it, else only its file name.
    static func origin(of url: URL, in workspace: Workspace) -> String {
        // The name as typed, not a link's target: the format is read from it (`matrix.csv` → CSV).
        let file = url.standardizedFileURL.path
        let root = workspace.root.standardizedFileURL.path
        if file.hasPrefix(root + "/") { return String(file.dropFirst(root.count + 1)) }
        return url.lastPathComponent
    }

    /// Leaves no empty folder behind after a failed import.
    static func removeEmptyFolders(_ directory: URL) {
        for sub in ["source/sha256", "source", "records/checklist", "records", ""] {
            rmdir(sub.isEmpty ? directory.path : directory.appendingPathComponent(sub).path)
        }
    }
}
