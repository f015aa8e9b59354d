/// A small JSON reader for untrusted files: RFC 8259, nesting bounded (64), duplicate keys refused, every
/// value with its 1-based line and column so that errors can point at it.
struct BoundedJSON {
    indirect enum Value {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([BoundedJSON])
        case object([String: BoundedJSON])
    }

    var value: Value
    var line: Int
    var column: Int

    static let maxDepth = 64

    struct Failure: Error {
        var line: Int
        var column: Int
        var detail: String
    }

    subscript(key: String) -> BoundedJSON? {
        if case .object(let members) = value { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    var array: [BoundedJSON]? {
        if case .array(let items) = value { return items }
        return nil
    }

    var isObject: Bool {
        if case .object = value { return true }
        return false
    }

    static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> BoundedJSON {
        var parser = Parser(bytes: Array(bytes))
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.index < parser.bytes.count { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    private struct Parser {
        var bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0

        /// Columns count characters, not bytes.
        var column: Int {
            var count = 1
            var position = lineStart
            while position < index && position < bytes.count {
                if bytes[position] & 0xC0 != 0x80 { count += 1 }
                position += 1
            }
            return count
        }

        func failure(_ detail: String) -> Failure { Failure(line: line, column: column, detail: detail) }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A:
                    index += 1
                    line += 1
                    lineStart = index
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(Failure) -> BoundedJSON {
            skipWhitespace()
            guard index < bytes.count else { throw failure("the file ends where a value should be") }
            // Values keep their column in bytes (counting characters for every value would be quadratic on
            // a one-line file); failures count characters.
            let (startLine, startColumn) = (line, index - lineStart + 1)
            func node(_ value: Value) -> BoundedJSON { BoundedJSON(value: value, line: startLine, column: startColumn) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                guard depth < BoundedJSON.maxDepth else { throw failure("nested deeper than \(BoundedJSON.maxDepth) levels (the limit)") }
                index += 1
                var members: [String: BoundedJSON] = [:]
                skipWhitespace()
                if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return node(.object(members))
                }
                while true {
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a \"key\" in quotes") }
                    let (keyLine, keyColumn) = (line, index - lineStart + 1)
                    let key = try string()
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after the key \"\(key)\"") }
                    index += 1
                    let member = try value(depth: depth + 1)
                    if members[key] != nil {
                        throw Failure(line: keyLine, column: keyColumn, detail: "the key \"\(key)\" appears twice in one object")
                    }
                    members[key] = member
                    skipWhitespace()
                    guard index < bytes.count else { throw failure("the file ends inside an object; close it with '}'") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return node(.object(members)) }
                    throw failure("expected ',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                guard depth < BoundedJSON.maxDepth else { throw failure("nested deeper than \(BoundedJSON.maxDepth) levels (the limit)") }
                index += 1
                var items: [BoundedJSON] = []
                skipWhitespace()
                if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return node(.array(items))
                }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard index < bytes.count else { throw failure("the file ends inside an array; close it with ']'") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return node(.array(items)) }
                    throw failure("expected ',' or ']' in an array")
                }
            case UInt8(ascii: "\""):
                return node(.string(try string()))
            case UInt8(ascii: "t"):
                try literal("true")
                return node(.bool(true))
            case UInt8(ascii: "f"):
                try literal("false")
                return node(.bool(false))
            case UInt8(ascii: "n"):
                try literal("null")
                return node(.null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return node(.number(try number()))
            default:
                throw failure("unexpected character; expected a value (object, array, string, number, true, false, null)")
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw failure("unexpected word; expected \(word)")
            }
            index += expected.count
        }

        mutating func number() throws(Failure) -> String {
            let start = index
            func digits() -> Int {
                let from = index
                while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
                return index - from
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let whole = digits()
            guard whole > 0 else { throw failure("a number needs digits") }
            if whole > 1 && bytes[index - whole] == UInt8(ascii: "0") { throw failure("a number cannot start with 0") }
            if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw failure("a number needs digits after '.'") }
            }
            if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
                index += 1
                if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
                guard digits() > 0 else { throw failure("a number needs digits in its exponent") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard bytes.count - index >= 4 else { throw failure("\\u needs four hex digits") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw failure("\\u needs four hex digits")
                }
                value = value * 16 + digit
                index += 1
            }
            return value
        }

        mutating func string() throws(Failure) -> String {
            index += 1  // the opening quote
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else { throw failure("the file ends inside a string; close it with '\"'") }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    guard let text = String(validating: out, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
                    return text
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw failure("the file ends inside a string") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if scalar >= 0xD800 && scalar < 0xDC00 {
                            guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                                throw failure("a \\u surrogate must come in a pair")
                            }
                            index += 2
                            let low = try hex4()
                            guard low >= 0xDC00 && low < 0xE000 else { throw failure("a \\u surrogate must come in a pair") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if scalar >= 0xDC00 && scalar < 0xE000 {
                            throw failure("a \\u surrogate must come in a pair")
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw failure("\\u escapes an invalid character") }
                        out.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default:
                        throw failure("unknown escape in a string; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX")
                    }
                default:
                    guard byte >= 0x20 else { throw failure("a control character inside a string must be escaped (\\n, \\t, \\u00XX)") }
                    out.append(byte)
                    index += 1
                }
            }
        }
    }
}
