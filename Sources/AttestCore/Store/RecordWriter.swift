public import Foundation

/// Writes a record exactly as `JSONCoding.encode` does (pretty-printed with two spaces, keys in the order of
/// their UTF-8 bytes, `/` unescaped, a final newline), without Foundation's generic encoding: an import record
/// holds the whole item table, and at 10^4 rows JSONEncoder was most of `import`'s time. The tests and the
/// records fuzz target hold it to JSONEncoder's bytes for every record they read.
public enum RecordWriter {
    public static func encode(_ record: Record) -> Data {
        var capacity = 4096
        if case .import(let body) = record.body { capacity += body.items.count * 700 }
        var json = JSONText(capacity: capacity)
        var members: [(key: String, value: Value)] = [
            ("schemaVersion", .string(record.schemaVersion)), ("type", .string(record.type.rawValue)), ("id", .string(record.id)),
            ("checklist", .string(record.checklist)), ("recordedAt", .date(record.recordedAt)), ("by", .string(record.by)),
        ]
        if let item = record.item { members.append(("item", .string(item))) }
        switch record.body {
        case .evidence(let body):
            if let note = body.note { members.append(("note", .string(note))) }
            members += [("links", .strings(body.links)), ("attachments", .attachments(body.attachments)),
                        ("references", .references(body.references)), ("effective", .date(body.effective))]
            if let validUntil = body.validUntil { members.append(("validUntil", .date(validUntil))) }
        case .revocation(let body):
            members += [("target", .string(body.target)), ("reason", .string(body.reason))]
        case .waiver(let body):
            members += [("reason", .string(body.reason)), ("approvedBy", .string(body.approvedBy)), ("until", .date(body.until))]
        case .notApplicable(let body):
            members += [("reason", .string(body.reason)), ("approvedBy", .string(body.approvedBy))]
        case .review(let body):
            members += [("target", .string(body.target)), ("decision", .string(body.decision.rawValue))]
            if let comment = body.comment { members.append(("comment", .string(comment))) }
        case .approval(let body):
            members += [("target", .string(body.target)), ("sha256", .string(body.sha256))]
        case .settings(let body):
            members += [("reviewRequired", .bool(body.reviewRequired)), ("dueSoonWindow", .string(body.dueSoonWindow.description))]
            if let interval = body.defaultReviewInterval { members.append(("defaultReviewInterval", .string(interval.description))) }
            if body.signaturesRequired { members.append(("signaturesRequired", .bool(true))) }
        case .import(let body):
            members += [("source", .source(body.source)), ("customerParty", .string(body.customerParty)), ("parties", .strings(body.parties)),
                        ("prefix", .string(body.prefix)), ("added", .strings(body.added)), ("removed", .strings(body.removed)),
                        ("changed", .strings(body.changed)), ("items", .items(body.items))]
            if let provider = body.provider { members.append(("provider", .string(provider))) }
            if let title = body.title { members.append(("title", .string(title))) }
            if let follows = body.follows { members.append(("follows", .strings(follows))) }
            if let version = body.readerVersion { members.append(("readerVersion", .int(version))) }
            if let options = body.options { members.append(("options", .options(options))) }
        }
        json.beginObject()
        for (key, value) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            json.key(key)
            json.write(value)
        }
        json.endObject()
        json.bytes.append(0x0A)
        return json.bytes.withUnsafeBytes { Data($0) }
    }

    enum Value {
        case string(String)
        case int(Int)
        case bool(Bool)
        case date(Date)
        case strings([String])
        case attachments([Attachment])
        case references([ExternalReference])
        case source(SourceMatrix)
        case options(ImportOptions)
        case items([ChecklistItem])
    }
}

/// JSON text as Foundation's JSONEncoder writes it with `.prettyPrinted`: members and elements on their own
/// lines, indented two spaces a level, `"key" : value`, an empty object or array as `{`, an empty line, `}`.
struct JSONText {
    var bytes: ByteBuffer
    private var level = 0
    private var empty = true

    init(capacity: Int) { bytes = ByteBuffer(capacity: capacity) }

    /// A writer that continues at `level`, after a member or element when `empty` is false.
    init(level: Int, empty: Bool, capacity: Int) {
        bytes = ByteBuffer(capacity: capacity)
        self.level = level
        self.empty = empty
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Before each element of an array.
    mutating func element() { newLine() }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    mutating func key(_ key: String) {
        newLine()
        string(key)
        bytes.append(0x20)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(0x20)
    }

    mutating func string(_ text: String) { JSONString.append(text, to: &bytes) }

    mutating func write(_ value: RecordWriter.Value) {
        switch value {
        case .string(let text): string(text)
        case .int(let number): bytes.append(utf8: String(number))
        case .bool(let flag): bytes.append(flag ? "true" : "false")
        case .date(let value): date(value)
        case .strings(let values): strings(values)
        case .attachments(let values):
            beginArray()
            for attachment in values {
                element()
                beginObject()
                if let type = attachment.extensionMediaType { member("extensionMediaType", type) }
                member("mediaType", attachment.mediaType)
                member("name", attachment.name)
                member("sha256", attachment.sha256)
                key("size")
                bytes.append(utf8: String(attachment.size))
                endObject()
            }
            endArray()
        case .references(let values):
            beginArray()
            for reference in values {
                element()
                beginObject()
                member("sha256", reference.sha256)
                member("url", reference.url)
                endObject()
            }
            endArray()
        case .source(let source):
            beginObject()
            member("file", source.file)
            member("importedFrom", source.importedFrom)
            member("sha256", source.sha256)
            if let url = source.url { member("url", url) }
            if let version = source.version { member("version", version) }
            endObject()
        case .options(let options):
            beginObject()
            if let party = options.party { member("party", party) }
            if let provider = options.provider { member("provider", provider) }
            if let column = options.taskColumn { member("taskColumn", column) }
            endObject()
        case .items(let items):
            // Items are most of an import record: written on every core in runs, joined in order.
            beginArray()
            let runs = Parallel.ranges(items.count, runs: items.count < 2048 ? 1 : ProcessInfo.processInfo.activeProcessorCount * 2)
            let level = self.level
            let written = Parallel.map(runs.count) { run -> ByteBuffer in
                var json = JSONText(level: level, empty: run == 0, capacity: runs[run].count * 700)
                for item in items[runs[run]] {
                    json.element()
                    json.item(item)
                }
                return json.bytes
            }
            for run in written { bytes.append(run) }
            empty = items.isEmpty
            endArray()
        }
    }

    /// An item's members, in the order of their keys' bytes.
    private mutating func item(_ item: ChecklistItem) {
        beginObject()
        member("customerLetters", item.customerLetters)
        member("id", item.id)
        if let inherits = item.inherits { member("inherits", inherits) }
        member("key", item.key)
        member("kind", item.kind.rawValue)
        key("lettersChangedAt")
        date(item.lettersChangedAt)
        key("notes")
        strings(item.notes)
        key("number")
        bytes.append(utf8: String(item.number))
        key("responsibility")
        beginObject()
        for (party, letters) in item.responsibility.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            member(party, letters)
        }
        endObject()
        key("retired")
        bytes.append(item.retired ? "true" : "false")
        if let interval = item.reviewInterval { member("reviewInterval", interval.description) }
        member("section", item.section)
        if let single = item.singleColumn {
            key("singleColumn")
            bytes.append(single ? "true" : "false")
        }
        if let line = item.sourceLine {
            key("sourceLine")
            bytes.append(utf8: String(line))
        }
        member("task", item.task)
        endObject()
    }

    /// The last date written: an import record's items mostly share the instant of the import.
    private var lastDate: (date: Date, text: String)?

    mutating func date(_ date: Date) {
        if let lastDate, lastDate.date == date { return string(lastDate.text) }
        let text = Timestamp.format(date)
        lastDate = (date, text)
        string(text)
    }

    mutating func member(_ name: String, _ text: String) {
        key(name)
        string(text)
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        level += 1
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        level -= 1
        if empty { bytes.append(0x0A) }
        LineStart.append(indent: 2 * level, to: &bytes)
        bytes.append(bracket)
        empty = false
    }

    /// Before a member or element: the comma after the one before, a new line and the indentation.
    private mutating func newLine() {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        LineStart.append(indent: 2 * level, to: &bytes)
        empty = false
    }
}

/// A line feed and an indent of spaces, appended from plain memory allocated once (so that appending one, the
/// most frequent thing a JSON writer does, neither allocates nor retains anything).
public enum LineStart {
    private static let count = 128
    private nonisolated(unsafe) static let bytes: UnsafePointer<UInt8> = {
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        bytes.initialize(repeating: 0x20, count: count)
        bytes[0] = 0x0A
        return UnsafePointer(bytes)
    }()

    public static func append(indent: Int, to out: inout ByteBuffer) {
        if indent < count {
            out.append(UnsafeRawBufferPointer(start: bytes, count: indent + 1))
        } else {
            out.append(0x0A)
            for _ in 0..<indent { out.append(0x20) }
        }
    }
}

/// A JSON string as JSONEncoder writes it: quotes and backslashes escaped, `\b \f \n \r \t` by name, other
/// control characters as `\u00XX`, everything else (`/`, DEL, non-ASCII) as its UTF-8. Records and the OSCAL
/// document both write strings through it.
public enum JSONString {
    public static func append(_ text: String, to bytes: inout ByteBuffer) {
        bytes.append(UInt8(ascii: "\""))
        appendEscaped(text, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `text` escaped as inside a JSON string, without the quotes (a string written in pieces).
    public static func appendEscaped(_ text: String, to bytes: inout ByteBuffer) {
        // Read in place (a native string always is): copying the string would retain and release it.
        if text.utf8.withContiguousStorageIfAvailable({ appendEscaped(UnsafeRawBufferPointer($0), to: &bytes) }) == nil {
            var text = text
            text.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0), to: &bytes) }
        }
    }

    private static func appendEscaped(_ utf8: UnsafeRawBufferPointer, to bytes: inout ByteBuffer) {
        // Runs that need no escaping (most strings are one) are copied whole.
        var plainFrom = 0, index = 0
        while index < utf8.count {
            let byte = utf8[index]
            index += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(UnsafeRawBufferPointer(rebasing: utf8[plainFrom..<(index - 1)]))
            plainFrom = index
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x08: bytes.append("\\b")
            case 0x0C: bytes.append("\\f")
            case 0x0A: bytes.append("\\n")
            case 0x0D: bytes.append("\\r")
            case 0x09: bytes.append("\\t")
            default:
                let hex: StaticString = "0123456789abcdef"
                bytes.append("\\u00")
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0x0F)])
            }
        }
        bytes.append(UnsafeRawBufferPointer(rebasing: utf8[plainFrom...]))
    }
}
