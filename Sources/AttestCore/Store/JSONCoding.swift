public import Foundation

/// How attest writes and reads JSON: UTF-8, pretty-printed, sorted keys, dates as RFC 3339 UTC.
public enum JSONCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parseInstant(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: Timestamp.isOutsideRange(text)
                        ? "\"\(text.visible)\" is outside \(Timestamp.rangeDescription)"
                        : "\"\(text.visible)\" is not a date (YYYY-MM-DD or RFC 3339)")
            }
            return date
        }
        return decoder
    }

    /// Encodes and appends the final newline that text files have.
    public static func encode(_ value: some Encodable) throws -> Data {
        var data = try encoder().encode(value)
        data.append(0x0A)
        return data
    }

    /// How deeply arrays and objects may nest in any JSON file attest reads (records, checklists).
    public static let maxNesting = 64

    /// Decodes, turning `DecodingError` into a diagnostic that names the file, the line and the field.
    /// Before JSONDecoder sees the bytes, they are checked against the limits: the size (for a record, 1 MiB,
    /// or 128 MiB for an import record, which holds the item table) and the nesting, so that no file can drive
    /// a parser into unbounded recursion.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String, decoder: JSONDecoder = decoder()) throws -> T {
        let isRecord = type == Record.self
        if isRecord && data.count > SafeFile.Limit.importRecord {
            throw StoreError.tooLarge(path: path, what: "import record", size: data.count, limit: SafeFile.Limit.importRecord)
        }
        try checkNesting(data, path: path)
        do {
            let value = try decoder.decode(type, from: data)
            if isRecord, data.count > SafeFile.Limit.record, let record = value as? Record, record.type != .import {
                throw StoreError.tooLarge(path: path, what: "record", size: data.count, limit: SafeFile.Limit.record)
            }
            return value
        } catch let error as NewerSchemaError {
            throw StoreError.newerSchema(path: path, version: error.version)
        } catch let error as DecodingError {
            // Past the record limit and not an import record either: the size is what to fix first.
            if isRecord && data.count > SafeFile.Limit.record {
                throw StoreError.tooLarge(path: path, what: "record", size: data.count, limit: SafeFile.Limit.record)
            }
            throw diagnose(error, data: data, path: path)
        }
    }

    /// Throws when arrays and objects nest deeper than `maxNesting`, naming the line and column.
    public static func checkNesting(_ data: Data, path: String) throws {
        guard let offset = nestingOverflow(data) else { return }
        let prefix = data.prefix(offset)
        let line = prefix.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let column = offset - (prefix.lastIndex(of: 0x0A).map { $0 - prefix.startIndex + 1 } ?? 0) + 1
        throw StoreError.malformed(path: path, line: line, column: column,
                                   detail: "arrays and objects nest deeper than \(maxNesting) levels, attest's limit for JSON")
    }

    /// The byte offset of the first `[` or `{` past `limit` levels, or nil. A cheap scan that skips strings
    /// (and the escapes in them); it does not validate: JSONDecoder does that once the depth is known to be bounded.
    public static func nestingOverflow(_ data: Data, limit: Int = maxNesting) -> Int? {
        data.withUnsafeBytes { raw -> Int? in
            var depth = 0
            var inString = false
            var escaped = false
            for (offset, byte) in raw.enumerated() {
                if inString {
                    if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth > limit { return offset }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)  // stray closers buy no depth
                default: break
                }
            }
            return nil
        }
    }

    static func diagnose(_ error: DecodingError, data: Data, path: String) -> StoreError {
        func field(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop(while: { $0 == "." }).description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = field(context.codingPath)
            let name = parent.isEmpty ? key.stringValue : parent + "." + key.stringValue
            return .malformed(path: path, line: nil, column: nil, detail: "missing key \"\(name)\"")
        case .typeMismatch(let type, let context):
            return .malformed(path: path, line: nil, column: nil,
                              detail: "\"\(field(context.codingPath))\" has the wrong type (expected \(describe(type)))")
        case .valueNotFound(let type, let context):
            return .malformed(path: path, line: nil, column: nil,
                              detail: "\"\(field(context.codingPath))\" is null (expected \(describe(type)))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let (line, column, message) = syntaxLocation(data)
                return .malformed(path: path, line: line, column: column, detail: "not valid JSON: \(message)")
            }
            return .malformed(path: path, line: nil, column: nil,
                              detail: "\"\(field(context.codingPath))\": \(context.debugDescription)")
        @unknown default:
            return .malformed(path: path, line: nil, column: nil, detail: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: "\(type)".lowercased().contains("array") ? "an array" : "an object"
        }
    }

    /// Finds where a syntax error is by asking JSONSerialization, which reports a character offset.
    private static func syntaxLocation(_ data: Data) -> (Int?, Int?, String) {
        if data.isEmpty { return (1, 1, "the file is empty") }
        do {
            _ = try JSONSerialization.jsonObject(with: data)
            return (nil, nil, "unexpected structure")
        } catch {
            let description = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
            guard let range = description.range(of: "character "),
                  let offset = Int(description[range.upperBound...].prefix(while: \.isNumber))
            else { return (nil, nil, description) }
            let message = description.components(separatedBy: " around").first ?? description
            let (line, column) = lineAndColumn(in: data, characterOffset: offset)
            return (line, column, message.prefix(1).lowercased() + message.dropFirst())
        }
    }

    static func lineAndColumn(in data: Data, characterOffset: Int) -> (Int, Int) {
        let text = String(decoding: data, as: UTF8.self)
        var line = 1
        var column = 1
        for (index, character) in text.unicodeScalars.enumerated() {
            if index >= characterOffset { break }
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
