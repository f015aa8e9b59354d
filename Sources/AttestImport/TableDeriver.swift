public import AttestCore
public import Foundation

extension MatrixReader {
    /// The version of the readers' output: import records keep it, and `verify` compares tables derived by
    /// the same version strictly. Raise it whenever a reader change can change a table.
    public static let version = 2
}

/// Derives an import record's table from its stored source, exactly as `attest import` did.
public struct TableDeriver: ItemTableDeriving {
    public init() {}

    public var readerVersion: Int { MatrixReader.version }

    public func derive(_ body: ImportRecord, recordedAt: Date, checklistID: String, source: Data, predecessors: [ImportRecord]) throws -> [ChecklistItem] {
        // Records from before schema 1.1 kept no options: the found customer and provider give the same reading.
        let options = body.options ?? ImportOptions(party: body.customerParty, provider: body.provider)
        let reader = MatrixReader(party: options.party, provider: options.provider, taskColumn: options.taskColumn)
        // The original file name decides the format: the stored copy has none.
        let fileName = body.source.importedFrom.split(separator: "/").last.map(String.init) ?? body.source.file
        let matrix = try reader.read(data: source, fileName: fileName, path: body.source.file)
        // As `import` does: the same bytes as the one import followed match by position (attest before schema
        // 1.1 never did).
        let sameSource = body.follows != nil && predecessors.count == 1 && predecessors[0].source.sha256 == body.source.sha256
        return ChecklistBuilder(checklistID: checklistID, prefix: body.prefix)
            .build(from: matrix, previous: predecessors.map(\.items), sameSource: sameSource, at: recordedAt).items
    }
}
