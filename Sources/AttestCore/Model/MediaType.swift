import Foundation

/// The media type of an attachment: sniffed from its first bytes for common evidence types, with the
/// type its name's extension suggests kept beside it when the two differ.
public enum MediaType {
    /// How many leading bytes `sniff` looks at.
    public static let sniffLength = 512

    /// The type an extension suggests, or `application/octet-stream`.
    public static func guess(fileName: String) -> String {
        let ext = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return table[ext] ?? "application/octet-stream"
    }

    /// The type for a file's content (first bytes) and name: `(mediaType, byExtension)`, where
    /// `byExtension` is the extension's suggestion when it differs (nil when they agree).
    public static func detect(prefix: some Collection<UInt8>, fileName: String) -> (mediaType: String, byExtension: String?) {
        let byName = guess(fileName: fileName)
        let type = resolve(sniffed: sniff(Array(prefix)), byName: byName)
        return (type, type == byName || byName == "application/octet-stream" ? nil : byName)
    }

    /// Reads the first bytes of the file at `path`; nil when it cannot be read.
    public static func detect(fileAt path: String, fileName: String) -> (mediaType: String, byExtension: String?)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: sniffLength) else { return nil }
        return detect(prefix: data, fileName: fileName)
    }

    /// What the content says.
    enum Sniffed: Equatable {
        case exact(String)
        /// A ZIP container: plain ZIP, or an Office document (docx, xlsx, pptx) when the name says so.
        case zip
        /// Text that is not JSON or XML: plain text, or a more specific text type the name gives.
        case text
        case json
        case xml
        case empty
        case unknown
    }

    static func sniff(_ bytes: [UInt8]) -> Sniffed {
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.count && Array(bytes[offset..<offset + signature.count]) == signature
        }
        if bytes.isEmpty { return .empty }
        if starts(Array("%PDF-".utf8)) { return .exact("application/pdf") }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .exact("image/png") }
        if starts([0xFF, 0xD8, 0xFF]) { return .exact("image/jpeg") }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .exact("image/gif") }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .exact("image/webp") }
        if starts([0x1F, 0x8B]) { return .exact("application/gzip") }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if starts(Array("ustar".utf8), at: 257) { return .exact("application/x-tar") }
        guard isText(bytes) else { return .unknown }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let first = body.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return .json }
        if first == UInt8(ascii: "<") {
            let start = Array(body.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }.prefix(5))
            if start == Array("<?xml".utf8) { return .xml }
        }
        return .text
    }

    /// UTF-8 (a sequence cut at the end of the prefix allowed) without NUL or control characters other
    /// than tab, line feed, form feed, carriage return and escape.
    static func isText(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(where: { $0 < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains($0) }) { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            if length == 0 { return false }
            for offset in 1..<max(length, 1) where index + offset < bytes.count && bytes[index + offset] >> 6 != 0b10 { return false }
            index += length
        }
        return true
    }

    static func resolve(sniffed: Sniffed, byName: String) -> String {
        switch sniffed {
        case .exact(let type): return type
        case .zip: return officeTypes.contains(byName) ? byName : "application/zip"
        case .json: return byName == "application/json" ? byName : "application/json"
        case .xml: return xmlTypes.contains(byName) ? byName : "application/xml"
        case .text: return textTypes.contains(byName) ? byName : "text/plain"
        case .empty: return byName
        case .unknown: return "application/octet-stream"
        }
    }

    private static let officeTypes: Set<String> = [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ]
    private static let xmlTypes: Set<String> = ["application/xml", "image/svg+xml", "text/html"]
    /// Text formats whose content cannot be told from plain text by its first bytes.
    private static let textTypes: Set<String> = [
        "text/plain", "text/markdown", "text/csv", "text/html", "application/yaml", "application/x-pem-file",
        "message/rfc822", "image/svg+xml", "application/xml",
    ]

    private static let table: [String: String] = [
        "pdf": "application/pdf", "json": "application/json", "xml": "application/xml", "zip": "application/zip",
        "gz": "application/gzip", "tgz": "application/gzip", "tar": "application/x-tar", "txt": "text/plain",
        "log": "text/plain", "md": "text/markdown", "csv": "text/csv", "html": "text/html", "htm": "text/html",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml",
        "webp": "image/webp", "yaml": "application/yaml", "yml": "application/yaml",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "eml": "message/rfc822", "har": "application/json", "pem": "application/x-pem-file",
    ]
}
