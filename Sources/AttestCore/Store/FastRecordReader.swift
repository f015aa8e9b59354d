public import Foundation

/// Reads the record types (evidence, revocation, waiver, not-applicable, review, approval, import) straight from
/// their bytes, without Foundation's generic decoding machinery, which is most of the cost of reading a
/// workspace of 10^5 records.
///
/// It is strict and returns nil on anything it does not expect: an unknown or missing field type, a
/// malformed escape, a date that does not parse, a newer schema, trailing bytes, a settings
/// record, a file over the size limit, nesting deeper than `JSONCoding.maxNesting`. The caller then
/// decodes the same bytes with `JSONDecoder` (through `JSONCoding.decode`, which checks the same limits first),
/// which gives the same result or the diagnostic. A record it accepts is one `JSONDecoder` reads the same way
/// (the records fuzz target checks exactly that). Its recursion is bounded by the nesting limit.
public struct FastRecordReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    public static func read(_ data: Data) -> Record? {
        guard data.count <= SafeFile.Limit.importRecord else { return nil }
        let record = data.withUnsafeBytes { raw -> Record? in
            var reader = FastRecordReader(bytes: raw.bindMemory(to: UInt8.self))
            return reader.record()
        }
        // Only an import record may be larger than a record: the diagnostic for any other is JSONCoding's.
        if let record, data.count > SafeFile.Limit.record, record.type != .import { return nil }
        return record
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: Records

    private mutating func record() -> Record? {
        var schemaVersion: String?, type: String?, id: String?, checklist: String?, item: String?, by: String?
        var recordedAt: Date?
        // Evidence
        var note: String?, links: [String]?, attachments: [Attachment]?, references: [ExternalReference]?
        var effective: Date?, validUntil: Date?
        // Revocation, waiver, not-applicable, review
        var target: String?, reason: String?, approvedBy: String?, until: Date?, decision: String?, comment: String?
        // Import
        var source: SourceMatrix?, customerParty: String?, provider: String?, parties: [String]?, prefix: String?
        var added: [String]?, removed: [String]?, changed: [String]?, items: [ChecklistItem]?, title: String?
        var follows: [String]?, readerVersion: Int64?, options: ImportOptions?
        // Approval
        var sha256: String?

        let complete = object { key, reader in
            switch key {
            case "schemaVersion": schemaVersion = reader.string(); return schemaVersion != nil
            case "type": type = reader.string(); return type != nil
            case "id": id = reader.string(); return id != nil
            case "checklist": checklist = reader.string(); return checklist != nil
            case "item": return reader.nullable(&item) { $0.string() }
            case "recordedAt": recordedAt = reader.date(); return recordedAt != nil
            case "by": by = reader.string(); return by != nil
            case "note": return reader.nullable(&note) { $0.string() }
            case "links": links = reader.array { $0.string() }; return links != nil
            case "attachments": attachments = reader.array { $0.attachment() }; return attachments != nil
            case "references": references = reader.array { $0.reference() }; return references != nil
            case "effective": effective = reader.date(); return effective != nil
            case "validUntil": return reader.nullable(&validUntil) { $0.date() }
            case "target": target = reader.string(); return target != nil
            case "reason": reason = reader.string(); return reason != nil
            case "approvedBy": approvedBy = reader.string(); return approvedBy != nil
            case "until": until = reader.date(); return until != nil
            case "decision": decision = reader.string(); return decision != nil
            case "comment": return reader.nullable(&comment) { $0.string() }
            case "sha256": sha256 = reader.string(); return sha256 != nil
            case "source": source = reader.sourceMatrix(); return source != nil
            case "customerParty": customerParty = reader.string(); return customerParty != nil
            case "provider": return reader.nullable(&provider) { $0.string() }
            case "parties": parties = reader.array { $0.string() }; return parties != nil
            case "prefix": prefix = reader.string(); return prefix != nil
            case "added": added = reader.array { $0.string() }; return added != nil
            case "removed": removed = reader.array { $0.string() }; return removed != nil
            case "changed": changed = reader.array { $0.string() }; return changed != nil
            case "items": items = reader.checklistItems(); return items != nil
            case "title": return reader.nullable(&title) { $0.string() }
            case "follows": return reader.nullable(&follows) { $0.array { $0.string() } }
            case "readerVersion": return reader.nullable(&readerVersion) { $0.integer() }
            case "options": return reader.nullable(&options) { $0.importOptions() }
            default: return reader.skipValue()
            }
        }
        skipWhitespace()
        guard complete, index == bytes.count, let schemaVersion, let type, let id, let checklist, let recordedAt, let by,
              let major = Int(schemaVersion.split(separator: ".", omittingEmptySubsequences: false).first ?? ""),
              (1...Record.supportedMajor).contains(major)
        else { return nil }
        if type == RecordType.import.rawValue {
            guard let source, let customerParty, let parties, let prefix, let added, let removed, let changed, let items else { return nil }
            let body = ImportRecord(source: source, customerParty: customerParty, provider: provider, parties: parties, prefix: prefix,
                                    added: added, removed: removed, changed: changed, items: items, title: title, follows: follows,
                                    readerVersion: readerVersion.map { Int($0) }, options: options)
            var record = Record(id: id, checklist: checklist, item: item, recordedAt: recordedAt, by: by, body: .import(body))
            record.schemaVersion = schemaVersion
            return record
        }
        guard let item, !item.isEmpty else { return nil }

        let body: Record.Body
        switch type {
        case RecordType.evidence.rawValue:
            guard let effective else { return nil }
            body = .evidence(Evidence(note: note, links: links ?? [], attachments: attachments ?? [], references: references ?? [],
                                      effective: effective, validUntil: validUntil))
        case RecordType.revocation.rawValue:
            guard let target, let reason else { return nil }
            body = .revocation(Revocation(target: target, reason: reason))
        case RecordType.waiver.rawValue:
            guard let reason, let approvedBy, let until else { return nil }
            body = .waiver(Waiver(reason: reason, approvedBy: approvedBy, until: until))
        case RecordType.notApplicable.rawValue:
            guard let reason, let approvedBy else { return nil }
            body = .notApplicable(NotApplicable(reason: reason, approvedBy: approvedBy))
        case RecordType.review.rawValue:
            guard let target, let decision, let value = Review.Decision(rawValue: decision) else { return nil }
            body = .review(Review(target: target, decision: value, comment: comment))
        case RecordType.approval.rawValue:
            guard let target, let sha256 else { return nil }
            body = .approval(Approval(target: target, sha256: sha256))
        default:
            return nil
        }
        var record = Record(id: id, checklist: checklist, item: item, recordedAt: recordedAt, by: by, body: body)
        record.schemaVersion = schemaVersion
        return record
    }

    private mutating func attachment() -> Attachment? {
        var name: String?, size: Int64?, mediaType: String?, sha256: String?, extensionMediaType: String?
        let complete = object { key, reader in
            switch key {
            case "name": name = reader.string(); return name != nil
            case "size": size = reader.integer(); return size != nil
            case "mediaType": mediaType = reader.string(); return mediaType != nil
            case "sha256": sha256 = reader.string(); return sha256 != nil
            case "extensionMediaType": return reader.nullable(&extensionMediaType) { $0.string() }
            default: return reader.skipValue()
            }
        }
        guard complete, let name, let size, let mediaType, let sha256 else { return nil }
        return Attachment(name: name, size: size, mediaType: mediaType, sha256: sha256, extensionMediaType: extensionMediaType)
    }

    private mutating func sourceMatrix() -> SourceMatrix? {
        var file: String?, importedFrom: String?, sha256: String?, version: String?, url: String?
        let complete = object { key, reader in
            switch key {
            case "file": file = reader.string(); return file != nil
            case "importedFrom": importedFrom = reader.string(); return importedFrom != nil
            case "sha256": sha256 = reader.string(); return sha256 != nil
            case "version": return reader.nullable(&version) { $0.string() }
            case "url": return reader.nullable(&url) { $0.string() }
            default: return reader.skipValue()
            }
        }
        guard complete, let file, let importedFrom, let sha256 else { return nil }
        return SourceMatrix(file: file, importedFrom: importedFrom, sha256: sha256, version: version, url: url)
    }

    private mutating func importOptions() -> ImportOptions? {
        var party: String?, provider: String?, taskColumn: String?
        let complete = object { key, reader in
            switch key {
            case "party": return reader.nullable(&party) { $0.string() }
            case "provider": return reader.nullable(&provider) { $0.string() }
            case "taskColumn": return reader.nullable(&taskColumn) { $0.string() }
            default: return reader.skipValue()
            }
        }
        return complete ? ImportOptions(party: party, provider: provider, taskColumn: taskColumn) : nil
    }

    private mutating func checklistItem() -> ChecklistItem? {
        var id: String?, number: Int64?, section: String?, task: String?, key: String?, responsibility: [String: String]?
        var customerLetters: String?, kind: ItemKind?, reviewInterval: Interval?, notes: [String]?, retired: Bool?
        var lettersChangedAt: Date?, sourceLine: Int64?, singleColumn: Bool?, inherits: String?
        let complete = object { name, reader in
            switch name {
            case "id": id = reader.string(); return id != nil
            case "number": number = reader.integer(); return number != nil
            case "section": section = reader.string(); return section != nil
            case "task": task = reader.string(); return task != nil
            case "key": key = reader.string(); return key != nil
            case "responsibility": responsibility = reader.stringMap(); return responsibility != nil
            case "customerLetters": customerLetters = reader.string(); return customerLetters != nil
            case "kind": kind = reader.string().flatMap(ItemKind.init(rawValue:)); return kind != nil
            case "reviewInterval":
                // As `Interval`'s decoding: only the form attest writes.
                return reader.nullable(&reviewInterval) { reader in
                    reader.string().flatMap { text in Interval(text).flatMap { $0.description == text ? $0 : nil } }
                }
            case "notes": notes = reader.array { $0.string() }; return notes != nil
            case "retired": retired = reader.boolean(); return retired != nil
            case "lettersChangedAt": lettersChangedAt = reader.date(); return lettersChangedAt != nil
            case "sourceLine": return reader.nullable(&sourceLine) { $0.integer() }
            case "singleColumn": return reader.nullable(&singleColumn) { $0.boolean() }
            case "inherits": return reader.nullable(&inherits) { $0.string() }
            default: return reader.skipValue()
            }
        }
        guard complete, let id, let number, let section, let task, let key, let responsibility, let customerLetters, let kind,
              let notes, let retired, let lettersChangedAt else { return nil }
        return ChecklistItem(id: id, number: Int(number), section: section, task: task, key: key, responsibility: responsibility,
                             customerLetters: customerLetters, kind: kind, reviewInterval: reviewInterval, notes: notes, retired: retired,
                             lettersChangedAt: lettersChangedAt, sourceLine: sourceLine.map { Int($0) }, singleColumn: singleColumn, inherits: inherits)
    }

    /// An import record's item table. A large one (10^5 rows) is read on every core: a scan that follows only
    /// strings and brackets finds where each item begins and ends, then each run of items is read by a reader
    /// of its own, which must end exactly where the scan said. Anything unexpected gives nil, as `array` would.
    private mutating func checklistItems() -> [ChecklistItem]? {
        skipWhitespace()
        guard depth < JSONCoding.maxNesting, bytes.count - index >= Self.parallelItemBytes,
              let (elements, close) = elementBounds(), elements.count >= Self.parallelItemCount
        else { return array { $0.checklistItem() } }
        let shared = SharedBytes(buffer: bytes), depth = depth + 1
        let runs = Parallel.ranges(elements.count, runs: ProcessInfo.processInfo.activeProcessorCount * 4)
        let read = Parallel.map(runs.count) { run -> [ChecklistItem]? in
            var reader = FastRecordReader(bytes: shared.buffer)
            reader.depth = depth
            var items: [ChecklistItem] = []
            for element in elements[runs[run]] {
                reader.index = element.lowerBound
                reader.skipWhitespace()
                guard let item = reader.checklistItem() else { return nil }
                reader.skipWhitespace()
                guard reader.index == element.upperBound else { return nil }
                items.append(item)
            }
            return items
        }
        var items: [ChecklistItem] = []
        items.reserveCapacity(elements.count)
        for run in read {
            guard let run else { return nil }
            items.append(contentsOf: run)
        }
        index = close + 1
        return items
    }

    private static let parallelItemBytes = 1 << 18
    private static let parallelItemCount = 2048

    /// The bytes of a record, read by several readers at once (only read; they outlive every reader).
    private struct SharedBytes: @unchecked Sendable { let buffer: UnsafeBufferPointer<UInt8> }

    /// From a `[` at `index`: the byte range of each element (up to its `,` or the closing `]`) and where the
    /// `]` is, following strings (with their escapes) and brackets only; nil when the array does not close.
    private func elementBounds() -> (elements: [Range<Int>], close: Int)? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        var elements: [Range<Int>] = []
        var position = index + 1, start = position, level = 0, inString = false
        while position < bytes.count {
            let byte = bytes[position]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    position += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): level += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if level == 0 {
                        guard byte == UInt8(ascii: "]") else { return nil }
                        elements.append(start..<position)
                        return (elements, position)
                    }
                    level -= 1
                case UInt8(ascii: ","):
                    if level == 0 {
                        elements.append(start..<position)
                        start = position + 1
                    }
                default: break
                }
            }
            position += 1
        }
        return nil
    }

    /// `{ "name": "text", … }`.
    private mutating func stringMap() -> [String: String]? {
        var map: [String: String] = [:]
        let complete = object { key, reader in
            guard let value = reader.string() else { return false }
            map[key] = value
            return true
        }
        return complete ? map : nil
    }

    /// `null` (nil) or a value `read` reads; false when neither is there.
    private mutating func nullable<T>(_ value: inout T?, _ read: (inout FastRecordReader) -> T?) -> Bool {
        if literal("null") {
            value = nil
            return true
        }
        value = read(&self)
        return value != nil
    }

    private mutating func boolean() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    private mutating func reference() -> ExternalReference? {
        var url: String?, sha256: String?
        let complete = object { key, reader in
            switch key {
            case "url": url = reader.string(); return url != nil
            case "sha256": sha256 = reader.string(); return sha256 != nil
            default: return reader.skipValue()
            }
        }
        guard complete, let url, let sha256 else { return nil }
        return ExternalReference(url: url, sha256: sha256)
    }

    // MARK: JSON

    /// How many arrays and objects are open.
    private var depth = 0

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Reads `{ "key": value, … }`, handing each key to `field`, which reads the value and says whether it could.
    /// A key seen twice makes the object unreadable here (JSONDecoder decides what it means).
    private mutating func object(_ field: (String, inout FastRecordReader) -> Bool) -> Bool {
        guard depth < JSONCoding.maxNesting, consume(UInt8(ascii: "{")) else { return false }
        depth += 1
        defer { depth -= 1 }
        if consume(UInt8(ascii: "}")) { return true }
        // A list while the object is small (records' own objects), a set past that (a responsibility map of
        // 10^4 parties).
        var seen: [String] = []
        var seenSet = Set<String>()
        repeat {
            skipWhitespace()
            guard let key = string(), consume(UInt8(ascii: ":")) else { return false }
            if seen.count < 32 {
                guard !seen.contains(key) else { return false }
                seen.append(key)
                if seen.count == 32 { seenSet = Set(seen) }
            } else {
                guard seenSet.insert(key).inserted else { return false }
            }
            skipWhitespace()
            guard field(key, &self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    private mutating func array<T>(_ element: (inout FastRecordReader) -> T?) -> [T]? {
        guard depth < JSONCoding.maxNesting, consume(UInt8(ascii: "[")) else { return nil }
        depth += 1
        defer { depth -= 1 }
        var result: [T] = []
        if consume(UInt8(ascii: "]")) { return result }
        repeat {
            skipWhitespace()
            guard let value = element(&self) else { return nil }
            result.append(value)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? result : nil
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// The last date read: an import record's items mostly share the instant of the import.
    private var lastDate: (text: String, date: Date)?

    private mutating func date() -> Date? {
        guard let text = string() else { return nil }
        if let lastDate, lastDate.text == text { return lastDate.date }
        guard let date = Timestamp.parseRecordInstant(text) else { return nil }
        lastDate = (text, date)
        return date
    }

    /// A JSON string; nil on a raw control character, a bad escape or an unpaired surrogate.
    private mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                // Invalid UTF-8 is JSONDecoder's to reject, not ours to repair; ASCII needs no check.
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return slice.allSatisfy { $0 < 0x80 } ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: scalars, as: UTF8.self)
            case 0..<0x20:
                return nil
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    guard var value = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(value) {
                        guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(value) {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    return nil
                }
            default:
                scalars.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A whole number without fraction or exponent (anything else is left to JSONDecoder).
    private mutating func integer() -> Int64? {
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value: Int64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        let digits = index - start
        guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
        return negative ? -value : value
    }

    /// Skips any JSON value (for keys this reader does not know, which JSONDecoder ignores too).
    private mutating func skipValue() -> Bool {
        skipWhitespace()
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"): return object { _, reader in reader.skipValue() }
        case UInt8(ascii: "["): return array { reader -> Bool? in reader.skipValue() ? true : nil } != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default:
            return skipNumber()
        }
    }

    /// A number as JSON writes it, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, with a finite value;
    /// anything else (`+1`, `01`, `1.`, `.5`, `1e400`) is left to JSONDecoder to accept or refuse.
    private mutating func skipNumber() -> Bool {
        let start = index
        func digits(_ reader: inout FastRecordReader) -> Int {
            let first = reader.index
            while reader.index < reader.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.index]) { reader.index += 1 }
            return reader.index - first
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits(&self)
        guard integerDigits > 0, !(integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0")) else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { return false }
        }
        // `1e400` (not finite) is JSONDecoder's to judge, even where it ignores the key.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return Double(text)?.isFinite ?? false
    }
}
