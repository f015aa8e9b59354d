public import AttestCore
public import Foundation

/// One row of a responsibility table, with its meaning.
public struct MatrixRow: Hashable, Sendable {
    public var section: String
    public var task: String
    /// Party name as the header spells it, to normalized letters.
    public var responsibility: [String: String]
    public var customerLetters: String
    public var kind: ItemKind
    public var notes: [String]
    public var line: Int
    /// The row came from a table with one column naming the responsible party.
    public var singleColumn: Bool
    /// Values that could not be read as letters, by party (reported by lint, kept out of `responsibility`).
    public var unreadable: [String: String]
    /// Parties whose letters came from one cell spanning their columns (`colspan`), each group in column
    /// order: one assignment for lint, and a note when the customer shares it.
    public var sharedCells: [[String]] = []
    /// What identifies the row across re-imports when the source gives it an ID (OSCAL: `oscal:<uuid>`).
    public var identity: String? = nil
    /// The provided capability this row's duty goes with (OSCAL: the responsibility's `provided-uuid`).
    public var inherits: String? = nil

    /// How re-imports match rows: the source's identity where it has one, else normalized section and task.
    public var key: String { identity ?? Self.key(section: section, task: task) }

    public static func key(section: String, task: String) -> String {
        // ASCII, most of any matrix: one string written in place (10^5 rows make 10^5 keys, several times).
        if let key = asciiKey(section, task) { return key }
        return normalizedKeyPart(section) + "/" + normalizedKeyPart(task)
    }

    /// `section/task` normalized, when both are ASCII.
    private static func asciiKey(_ section: String, _ task: String) -> String? {
        var section = section, task = task
        return section.withUTF8 { section in
            task.withUTF8 { task in
                guard !section.contains(where: { $0 >= 0x80 }), !task.contains(where: { $0 >= 0x80 }) else { return nil }
                return String(unsafeUninitializedCapacity: section.count + 1 + task.count) { out in
                    var count = 0
                    func add(_ bytes: UnsafeBufferPointer<UInt8>) {
                        for byte in bytes {
                            switch byte {
                            case 0x61...0x7A, 0x30...0x39: out[count] = byte; count += 1
                            case 0x41...0x5A: out[count] = byte + 0x20; count += 1
                            default: break
                            }
                        }
                    }
                    add(section)
                    out[count] = UInt8(ascii: "/")
                    count += 1
                    add(task)
                    return count
                }
            }
        }
    }

    /// Lower case, letters, marks and digits only (`CharacterSet.alphanumerics`, which landed keys were made
    /// with; ASCII, most of any matrix, without Foundation's slow set lookups).
    static func normalizedKeyPart(_ text: String) -> String {
        if let key = asciiKey("", text) { return String(key.utf8.dropFirst())! }
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII {
                let value = scalar.value
                if (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) { out.append(scalar) }
            } else if alphanumerics.contains(scalar) {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static let alphanumerics = CharacterSet.alphanumerics
}

/// A matrix read from a file: the rows that became items, the tables that did not, and warnings.
public struct ParsedMatrix: Sendable {
    public struct SkippedTable: Hashable, Sendable {
        public var line: Int
        public var section: String
        public var reason: String

        public var description: String {
            "line \(line)" + (section.isEmpty ? "" : " (\(section))") + ": \(reason)"
        }
    }

    public var rows: [MatrixRow]
    public var skipped: [SkippedTable]
    public var warnings: [String]
    /// Every party name, in order of first appearance.
    public var parties: [String]
    /// The customer's name as the (first) matrix header spells it.
    public var customerParty: String
    public var provider: String?
    /// How many tables were read as responsibility tables.
    public var tableCount: Int
    /// The page's title, if it has one.
    public var title: String?
}

/// Reads a matrix file into rows: finds the customer column per table, reads letters, skips tables that
/// are not responsibility tables.
public struct MatrixReader: Sendable {
    public var party: String?
    public var provider: String?
    public var taskColumn: String?

    /// Unreadable letters in the customer's column are an error (import); when false they are only
    /// recorded, as in any other column (lint, which reports them as anomalies).
    public var strict: Bool

    public init(party: String? = nil, provider: String? = nil, taskColumn: String? = nil, strict: Bool = true) {
        self.party = party
        self.provider = provider
        self.taskColumn = taskColumn
        self.strict = strict
    }

    /// Reads `url`; `path` is how messages name it (as the user gave it).
    public func read(contentsOf url: URL, path: String) throws -> ParsedMatrix {
        try read(data: try Self.contents(of: url, path: path), fileName: url.lastPathComponent, path: path)
    }

    /// A matrix file's bytes, with the errors a user can act on. The path is one a person gave, so a symbolic
    /// link is followed, but it must resolve to a regular file of at most 128 MiB, checked on the open
    /// descriptor before any byte is read: a FIFO or `/dev/zero` is "not a regular file (a FIFO)", never a hang.
    public static func contents(of url: URL, path: String) throws -> Data {
        do {
            return try SafeFile.read(url.path, display: path.visible, followingLinks: true, limit: SafeFile.Limit.matrix, what: "matrix")
        } catch StoreError.unreadable(_, let detail) where detail == SafeFile.describe(errno: ENOENT) {
            throw ImportError.fileNotFound(path: path.visible)
        } catch StoreError.notRegularFile(_, let kind) where kind == SafeFile.Kind.directory.rawValue {
            throw ImportError.isDirectory(path: path.visible)
        }
    }

    public func read(data: Data, fileName: String, path: String) throws -> ParsedMatrix {
        if OSCALReader.isOSCAL(data: data, fileName: fileName) {
            return try OSCALReader(party: party, provider: provider).read(data: data, path: path)
        }
        let document = try MatrixDocument.parse(data: data, fileName: fileName, path: path)
        return try interpret(document, path: path)
    }

    func interpret(_ document: MatrixDocument, path: String) throws -> ParsedMatrix {
        var rows: [MatrixRow] = []
        var skipped: [ParsedMatrix.SkippedTable] = []
        var warnings: [String] = []
        var parties: [String] = []
        var knownParties = Set<String>()
        var customerParty: String?
        var allPartyNames: [String] = []
        var tableCount = 0
        let rowCount = document.tables.reduce(0) { $0 + $1.rows.count }
        rows.reserveCapacity(rowCount)
        // The first row of each key and of each task; the rare later rows of a task apart (an array for each
        // of 10^5 keys would cost more than the rest of the reading).
        var seen: [String: Int] = [:]
        var seenTask: [String: Int] = [:]
        var moreSeenTask: [String: [Int]] = [:]
        seen.reserveCapacity(rowCount)
        seenTask.reserveCapacity(rowCount)

        for table in document.tables {
            let headers = table.header.map(Vocabulary.normalizedHeader)
            let spelled = table.header.map { Markup.plain($0).text }
            guard !table.rows.isEmpty else {
                skipped.append(.init(line: table.line, section: table.section, reason: "the table has no rows"))
                continue
            }
            let layout: TableLayout
            switch self.layout(of: table, headers: headers) {
            case .success(let found): layout = found
            case .failure(let reason):
                // Header cells that could name a party: not the first (task) column, not task, ID or context columns.
                for (index, name) in spelled.enumerated() where index > 0 && !name.isEmpty && !allPartyNames.contains(name) {
                    let header = headers[index]
                    if !Vocabulary.taskHeaders.contains(header) && !Vocabulary.isIDHeader(header) && !isContextColumn(header) {
                        allPartyNames.append(name)
                    }
                }
                skipped.append(.init(line: table.line, section: table.section, reason: reason))
                continue
            }
            tableCount += 1
            let read = try readRows(of: table, layout: layout, spelled: spelled, footnotes: document.footnotes, path: path)
            if customerParty == nil { customerParty = read.customerName }
            for name in read.parties where !knownParties.contains(name) {
                parties.append(name)
                knownParties.insert(name)
            }
            warnings.append(contentsOf: read.warnings)
            for row in read.rows {
                // The same task with the same letters in another table (a stub copy) is a duplicate too.
                let taskKey = MatrixRow.key(section: "", task: row.task)
                let key = row.key
                let sameTask = seenTask[taskKey].map { [$0] + (moreSeenTask[taskKey] ?? []) } ?? []
                if let first = seen[key] ?? sameTask.first(where: { rows[$0].responsibility == row.responsibility }) {
                    let previous = rows[first]
                    let same = previous.responsibility == row.responsibility
                    warnings.append("\(path):\(row.line):1: warning: row duplicates line \(previous.line) (\"\(row.task)\")"
                        + (same ? "; merged" : " with other letters; the first is kept"))
                    rows[first].notes.append(contentsOf: row.notes.filter { !previous.notes.contains($0) })
                    continue
                }
                seen[key] = rows.count
                if seenTask[taskKey] == nil { seenTask[taskKey] = rows.count } else { moreSeenTask[taskKey, default: []].append(rows.count) }
                rows.append(row)
            }
        }

        if tableCount == 0 {
            if let party {
                throw ImportError.partyNotFound(path: path, party: party, found: allPartyNames)
            }
            if let taskColumn, !document.tables.isEmpty {
                let headers = document.tables.flatMap { $0.header.map { Markup.plain($0).text } }
                throw ImportError.taskColumnNotFound(path: path, line: document.tables[0].line, column: taskColumn, headers: headers)
            }
            throw ImportError.noResponsibilityTable(path: path, skipped: skipped.map(\.description))
        }
        let customer = customerParty ?? "Customer"
        let provider = self.provider ?? parties.first { $0 != customer && !$0.isEmpty }
        return ParsedMatrix(rows: rows, skipped: skipped, warnings: warnings, parties: parties, customerParty: customer,
                            provider: provider, tableCount: tableCount, title: document.title)
    }

    private static func cell(_ row: RawTable.Row, _ index: Int) -> String { index < row.cells.count ? row.cells[index] : "" }
    private static func column(_ row: RawTable.Row, _ index: Int) -> Int { index < row.columns.count ? row.columns[index] : 1 }

    /// The footnotes that `markers` point to, in the table's own notes or the page's.
    private static func notes(for markers: [String], table: RawTable, footnotes: [String: String]) -> [String] {
        markers.compactMap { marker in (table.footnotes[marker] ?? footnotes[marker]).map { "[\(marker)] \($0)" } }
    }

    /// Rows of a party-column table: each row's letters by party, its notes, and the warnings.
    private func readPartyRows(_ slice: ArraySlice<RawTable.Row>, of table: RawTable, names: [String], customerIndex: Int, customerName: String,
                               taskIndex: Int, partyIndices: [Int], footnotes: [String: String], path: String) throws
        -> (rows: [MatrixRow], warnings: [String]) {
        var rows: [MatrixRow] = []
        var warnings: [String] = []
        var readings: [String: (letters: String?, plain: Markup.Plain)] = [:]
        func reading(_ raw: String) -> (letters: String?, plain: Markup.Plain) {
            if let known = readings[raw] { return known }
            let read = (Vocabulary.letters(values: Markup.values(raw)), Markup.plain(raw))
            readings[raw] = read
            return read
        }
        rows.reserveCapacity(slice.count)
        for row in slice {
            let task = Markup.plain(Self.cell(row, taskIndex))
            var markers = task.footnotes
            var responsibility: [String: String] = [:]
            responsibility.reserveCapacity(partyIndices.count)
            var unreadable: [String: String] = [:]
            var notes: [String] = []
            for (position, index) in partyIndices.enumerated() {
                let raw = Self.cell(row, index)
                let (read, plain) = reading(raw)
                markers.append(contentsOf: plain.footnotes)
                if let letters = read {
                    responsibility[names[position]] = letters
                    if let first = plain.text.unicodeScalars.first, Vocabulary.checkMarks.contains(first) {
                        let qualifier = plain.text.unicodeScalars.drop { Vocabulary.checkMarks.contains($0) || $0 == "\u{FE0F}" || $0 == " " }
                        let words = String(String.UnicodeScalarView(qualifier))
                        if !words.isEmpty && !["owns", "owner", "responsible"].contains(words.lowercased()) {
                            notes.append("\(names[position]): \(words)")
                        }
                    }
                } else if Vocabulary.normalizedHeader(table.header[index]).hasSuffix("responsibilities") {
                    // A column of duties written out in words: the party holds them.
                    responsibility[names[position]] = "R"
                    notes.append("\(names[position]): \(plain.text)")
                } else if index == customerIndex && strict {
                    throw ImportError.unreadableLetters(path: path, line: row.line, column: Self.column(row, index),
                                                        party: names[position], value: plain.text)
                } else {
                    responsibility[names[position]] = ""
                    unreadable[names[position]] = plain.text
                    warnings.append("\(path):\(row.line):\(Self.column(row, index)): warning: \(names[position]): \"\(plain.text)\" is not a RACI value; read as empty (`attest lint` lists it)")
                }
            }
            if task.text.isEmpty {
                if responsibility.values.allSatisfy(\.isEmpty) && unreadable.isEmpty { continue }
                warnings.append("\(path):\(row.line):1: warning: row has letters but no task text; skipped")
                continue
            }
            let letters = responsibility[customerName] ?? ""
            var shared: [[String]] = []
            if !row.origins.isEmpty {
                var groups: [Int: [String]] = [:]
                for (position, index) in partyIndices.enumerated() where index < row.origins.count {
                    groups[row.origins[index], default: []].append(names[position])
                }
                shared = groups.values.filter { $0.count > 1 }.sorted { names.firstIndex(of: $0[0])! < names.firstIndex(of: $1[0])! }
            }
            var markerSeen = Set<String>()
            rows.append(MatrixRow(
                section: row.section ?? table.section, task: task.text, responsibility: responsibility, customerLetters: letters,
                kind: ItemKind(customerLetters: letters), notes: notes + Self.notes(for: markers.filter { markerSeen.insert($0).inserted }, table: table, footnotes: footnotes),
                line: row.line, singleColumn: false, unreadable: unreadable, sharedCells: shared))
        }
        return (rows, warnings)
    }

    // MARK: Layout

    enum TableLayout {
        /// A column per party; `customer` is the customer's column.
        case partyColumns(task: Int, customer: Int, parties: [Int])
        /// One column names the responsible party.
        case singleColumn(task: Int, responsibility: Int)
    }

    enum LayoutResult {
        case success(TableLayout)
        case failure(String)
    }

    private func layout(of table: RawTable, headers: [String]) -> LayoutResult {
        let customerNames = party.map { [$0.lowercased()] } ?? Vocabulary.customerHeaders
        let customer = headers.firstIndex { customerNames.contains($0) }
        let idColumns = Set(headers.indices.filter { Vocabulary.isIDHeader(headers[$0]) })

        if let customer {
            guard let task = taskColumnIndex(headers, table: table, excluding: idColumns.union([customer])) else {
                return .failure("no column named \"\(taskColumn ?? "")\"")
            }
            let parties = headers.indices.filter { index in
                index != task && !idColumns.contains(index) && (index == customer || !isContextColumn(headers[index]))
            }
            return .success(.partyColumns(task: task, customer: customer, parties: parties))
        }
        if let responsibility = headers.firstIndex(where: { Vocabulary.responsibilityHeaders.contains($0) }) {
            guard let task = taskColumnIndex(headers, table: table, excluding: idColumns.union([responsibility])) else {
                return .failure("no column named \"\(taskColumn ?? "")\"")
            }
            return .success(.singleColumn(task: task, responsibility: responsibility))
        }
        let shown = table.header.map { Markup.plain($0).text }.map { "\"\($0)\"" }.joined(separator: ", ")
        if looksTransposed(table) {
            return .failure("its cells name parties but no column is the customer's (transposed: rows are layers, columns are areas); headers \(shown)")
        }
        if let party {
            return .failure("no column named \"\(party)\"; headers \(shown)")
        }
        return .failure("no customer column and no Responsibility column; headers \(shown) (name the customer's column with --party NAME)")
    }

    private func isContextColumn(_ header: String) -> Bool {
        let words = Set(header.split(whereSeparator: { !$0.isLetter }).map(String.init))
        return !words.isDisjoint(with: Vocabulary.contextWords)
    }

    /// Cells that are party names (`Customer`, `Shared`, `IBM`) rather than letters: a transposed matrix.
    private func looksTransposed(_ table: RawTable) -> Bool {
        let values = table.rows.flatMap { $0.cells.dropFirst() }.map { Markup.plain($0).text.lowercased() }
        let named = values.filter { Vocabulary.customerHeaders.contains($0) || $0 == "shared" }
        return !values.isEmpty && named.count * 2 >= values.count
    }

    /// The task column: `--task-column`; else one named exactly Task, Activity, Area, Control, Process (in that order);
    /// else one whose name contains such a word and is not an ID or context column; else the first that is not a party.
    private func taskColumnIndex(_ headers: [String], table: RawTable, excluding excluded: Set<Int>) -> Int? {
        if let taskColumn {
            return headers.firstIndex(of: Vocabulary.normalizedHeader(taskColumn))
        }
        let candidates = headers.indices.filter { !excluded.contains($0) }
        for name in Vocabulary.taskHeaders {
            if let exact = candidates.first(where: { headers[$0] == name }) { return exact }
        }
        for name in Vocabulary.taskHeaders {
            if let containing = candidates.first(where: { index in
                let words = headers[index].split(whereSeparator: { !$0.isLetter }).map(String.init)
                return words.contains(name) && !words.contains(where: { ["domain", "category", "group", "family"].contains($0) })
            }) {
                return containing
            }
        }
        // The first column whose values are not RACI letters.
        return candidates.first { index in
            let values = table.rows.prefix(20).compactMap { index < $0.cells.count ? $0.cells[index] : nil }
            let readable = values.filter { Vocabulary.letters($0) != nil }
            return readable.count * 2 < max(values.count, 1) || values.allSatisfy { Markup.plain($0).text.count > 12 }
        } ?? candidates.first
    }

    // MARK: Rows

    /// Rows of one table that share a task but differ elsewhere (one row per feature of a control) are
    /// not duplicates: each gets the first cell that tells them apart, in parentheses.
    private func disambiguate(_ rows: [MatrixRow], table: RawTable, taskIndex: Int) -> [MatrixRow] {
        // Most tables have no such rows: look for one before grouping.
        var firstOfKey = Set<String>()
        firstOfKey.reserveCapacity(rows.count)
        guard rows.contains(where: { !firstOfKey.insert($0.key).inserted }) else { return rows }
        var groups: [String: [Int]] = [:]
        for (index, row) in rows.enumerated() { groups[row.key, default: []].append(index) }
        let byLine = Dictionary(table.rows.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        var result = rows
        for indices in groups.values where indices.count > 1 {
            let cells = indices.map { byLine[rows[$0].line]?.cells ?? [] }
            guard Set(cells).count > 1 else { continue }
            let width = cells.map(\.count).max() ?? 0
            guard let column = (0..<width).first(where: { column in
                column != taskIndex && Set(cells.map { column < $0.count ? Markup.plain($0[column]).text : "" }).count == indices.count
            }) else { continue }
            for (position, index) in indices.enumerated() {
                let detail = column < cells[position].count ? Markup.plain(cells[position][column]).text : ""
                if !detail.isEmpty { result[index].task += " (\(detail))" }
            }
        }
        return result
    }

    struct TableRows {
        var rows: [MatrixRow]
        var parties: [String]
        var customerName: String
        var warnings: [String]
    }

    private func readRows(of table: RawTable, layout: TableLayout, spelled: [String], footnotes: [String: String],
                          path: String) throws -> TableRows {
        var rows: [MatrixRow] = []
        var warnings: [String] = []
        func cell(_ row: RawTable.Row, _ index: Int) -> String { Self.cell(row, index) }
        func note(for markers: [String]) -> [String] { Self.notes(for: markers, table: table, footnotes: footnotes) }

        switch layout {
        case .partyColumns(let taskIndex, let customerIndex, let partyIndices):
            let names = partyIndices.map { spelled[$0].isEmpty ? "Column \($0 + 1)" : spelled[$0] }
            let customerName = spelled[customerIndex]
            // Rows are read on every core, in runs, and joined in order (the first error in row order wins).
            // Party cells repeat (`R`, `RA`, empty): each distinct one is read once per run.
            let runs = Parallel.ranges(table.rows.count, runs: table.rows.count < 4096 ? 1 : ProcessInfo.processInfo.activeProcessorCount * 2)
            let results = Parallel.map(runs.count) { run -> Result<(rows: [MatrixRow], warnings: [String]), any Error> in
                Result { try readPartyRows(table.rows[runs[run]], of: table,
                                           names: names, customerIndex: customerIndex, customerName: customerName, taskIndex: taskIndex,
                                           partyIndices: partyIndices, footnotes: footnotes, path: path) }
            }
            for result in results {
                let read = try result.get()
                rows += read.rows
                warnings += read.warnings
            }
            return TableRows(rows: disambiguate(rows, table: table, taskIndex: taskIndex), parties: names,
                             customerName: customerName, warnings: warnings)

        case .singleColumn(let taskIndex, let responsibilityIndex):
            let customerNames = Set(Vocabulary.customerHeaders + (party.map { [$0.lowercased()] } ?? []))
            var customerName = party ?? "Customer"
            var providerCounts: [String: Int] = [:]
            // A list in the cell (`<li>`, `<br>`, `- ` lines) names several parties.
            let named = table.rows.map { row in
                Markup.values(cell(row, responsibilityIndex)).flatMap { Vocabulary.namedParties($0, customerNames: customerNames) }
            }
            for (row, list) in zip(table.rows, named) {
                for value in list {
                    if case .party(let name) = value { providerCounts[name, default: 0] += 1 }
                    if case .customer = value,
                       let spelledName = Markup.values(cell(row, responsibilityIndex)).map({ Markup.plain($0).text })
                        .flatMap({ $0.split(whereSeparator: { ",/;".contains($0) }) }).map({ $0.trimmingCharacters(in: .whitespaces) })
                        .first(where: { customerNames.contains($0.lowercased()) }) {
                        customerName = spelledName
                    }
                }
            }
            let providerName = provider ?? providerCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            var parties = [customerName]
            if let providerName { parties.append(providerName) }
            for name in providerCounts.keys.sorted() where !parties.contains(name) { parties.append(name) }
            for (row, list) in zip(table.rows, named) {
                let task = Markup.plain(cell(row, taskIndex))
                guard !task.text.isEmpty else { continue }
                var responsibility: [String: String] = [:]
                var kind = ItemKind.inherited
                var notes = note(for: task.footnotes)
                for value in list {
                    switch value {
                    case .customer:
                        responsibility[customerName] = "R"
                    case .shared:
                        responsibility[customerName] = "R"
                        if let providerName { responsibility[providerName] = "R" }
                    case .party(let name):
                        responsibility[name] = "R"
                    case .notApplicable:
                        kind = .notApplicable
                        notes.append("Not applicable: " + Markup.plain(cell(row, responsibilityIndex)).text)
                    }
                }
                let letters = responsibility[customerName] ?? ""
                if kind != .notApplicable { kind = ItemKind(customerLetters: letters) }
                rows.append(MatrixRow(
                    section: row.section ?? table.section, task: task.text, responsibility: responsibility, customerLetters: letters,
                    kind: kind, notes: notes, line: row.line, singleColumn: true, unreadable: [:]))
            }
            return TableRows(rows: disambiguate(rows, table: table, taskIndex: taskIndex), parties: parties,
                             customerName: customerName, warnings: warnings)
        }
    }
}
