public import AttestCore
public import Foundation

/// `attest import`: reads a matrix, matches its rows to the checklist's items, copies the source,
/// writes the checklist file and an import record.
public struct MatrixImport: Sendable {
    public struct Options: Sendable {
        public var party: String?
        public var provider: String?
        public var prefix: String?
        public var taskColumn: String?
        public var sourceVersion: String?
        public var dryRun = false

        public init(party: String? = nil, provider: String? = nil, prefix: String? = nil, taskColumn: String? = nil,
                    sourceVersion: String? = nil, dryRun: Bool = false) {
            self.party = party
            self.provider = provider
            self.prefix = prefix
            self.taskColumn = taskColumn
            self.sourceVersion = sourceVersion
            self.dryRun = dryRun
        }
    }

    public struct Outcome: Sendable {
        public var checklist: Checklist
        public var matrix: ParsedMatrix
        public var changes: ChecklistBuilder.Changes
        public var isFirstImport: Bool
        /// Where the import record was written (nil on a dry run).
        public var recordPath: String?
    }

    public var workspace: Workspace
    public var checklistID: String
    public var options: Options

    public init(workspace: Workspace, checklistID: String, options: Options) {
        self.workspace = workspace
        self.checklistID = checklistID
        self.options = options
    }

    /// Imports `matrixURL`; `displayPath` is the path as the user gave it.
    public func run(matrixURL: URL, displayPath: String, by: String, now: Date = Date()) throws -> Outcome {
        let now = Timestamp.truncatedToMilliseconds(now)
        guard Checklist.isValidID(checklistID) else { throw StoreError.invalidChecklistID(checklistID) }
        if let prefix = options.prefix, prefix.isEmpty || !prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            throw StoreError.invalidInput("--prefix \"\(prefix)\" must be letters and digits, e.g. ACCS")
        }
        let data = try MatrixReader.contents(of: matrixURL, path: displayPath)
        let reader = MatrixReader(party: options.party, provider: options.provider, taskColumn: options.taskColumn)
        let matrix = try reader.read(data: data, fileName: matrixURL.lastPathComponent, path: displayPath)
        let store = workspace.store(for: checklistID)

        return try store.withLock {
            let previous = store.exists ? try store.loadChecklist() : nil
            if let previous, let wanted = options.prefix?.uppercased(), wanted != previous.prefix {
                throw StoreError.invalidInput("--prefix \(wanted) differs from the checklist's prefix \(previous.prefix); item IDs never change, so re-import without --prefix (or import into a new checklist)")
            }
            let prefix = options.prefix?.uppercased() ?? previous?.prefix ?? Checklist.defaultPrefix(forChecklistID: checklistID)
            let built = ChecklistBuilder(checklistID: checklistID, prefix: prefix).build(from: matrix, previous: previous, at: now)
            let fileName = Self.safeFileName(matrixURL.lastPathComponent)
            let source = SourceMatrix(file: "source/\(fileName)", importedFrom: displayPath, sha256: FileHasher.sha256(of: data),
                                      version: options.sourceVersion)
            let checklist = Checklist(
                id: checklistID, title: previous?.title ?? matrix.title ?? checklistID, customerParty: matrix.customerParty,
                provider: matrix.provider, parties: matrix.parties, prefix: prefix, nextNumber: built.nextNumber, source: source,
                importedAt: now, settings: previous?.settings ?? ChecklistSettings(), items: built.items)
            var outcome = Outcome(checklist: checklist, matrix: matrix, changes: built.changes, isFirstImport: previous == nil, recordPath: nil)
            if options.dryRun { return outcome }

            let body = ImportRecord(source: source, customerParty: matrix.customerParty, provider: matrix.provider,
                                    parties: matrix.parties, prefix: prefix, added: built.changes.added,
                                    removed: built.changes.removed, changed: built.changes.changed, items: built.items)
            let record = Record(id: Record.makeID(type: .import, at: now), checklist: checklistID, item: nil, recordedAt: now,
                                by: by, body: .import(body))
            let sourceURL = store.directory.appendingPathComponent(source.file)
            let previousSource = try? Data(contentsOf: sourceURL)
            try AtomicFile.write(data, to: sourceURL, mode: .replace, displayPath: "\(store.displayPath)/\(source.file)")
            do {
                outcome.recordPath = try store.write(record)
                do {
                    try store.saveChecklist(checklist)
                } catch {
                    unlink(store.directory.appendingPathComponent(store.relativePath(for: record)).path)
                    throw error
                }
            } catch {
                if let previousSource {
                    try? AtomicFile.write(previousSource, to: sourceURL, mode: .replace)
                } else {
                    unlink(sourceURL.path)
                }
                if previous == nil { Self.removeEmptyFolders(store.directory) }
                throw error
            }
            return outcome
        }
    }

    /// A file name that stays inside the folder.
    static func safeFileName(_ name: String) -> String {
        let cleaned = name.replacingOccurrences(of: "/", with: "_").trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return cleaned.isEmpty ? "matrix" : cleaned
    }

    /// Leaves no empty checklist folder behind after a failed first import.
    static func removeEmptyFolders(_ directory: URL) {
        for sub in ["records/checklist", "records", "source", ""] {
            rmdir(sub.isEmpty ? directory.path : directory.appendingPathComponent(sub).path)
        }
    }
}
