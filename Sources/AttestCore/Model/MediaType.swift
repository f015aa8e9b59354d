/// The media type of an attachment, guessed from its name.
public enum MediaType {
    public static func guess(fileName: String) -> String {
        let ext = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return table[ext] ?? "application/octet-stream"
    }

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
