/// Text that XML 1.0 can carry: forbidden control characters, lone surrogates and non-characters removed,
/// and the "discouraged" compatibility characters that some consumers reject.
enum XMLText {
    static func clean(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where isAllowed(scalar.value) { result.append(scalar) }
        return String(result)
    }

    static func isAllowed(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0x7E: true
        case 0x7F...0x9F: false
        case 0xA0...0xD7FF: true
        case 0xE000...0xFFFD: !(0xFDD0...0xFDEF).contains(value)
        case 0x10000...0x10FFFF: (value & 0xFFFE) != 0xFFFE
        default: false
        }
    }
}
