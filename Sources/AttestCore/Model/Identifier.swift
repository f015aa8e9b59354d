/// The patterns every ID and hash must match before attest builds a path from it or trusts it in a record.
/// Checked on bytes (no regular expressions): they run once per record field at 10^5 records.
public enum Identifier {
    /// `adobe-commerce-cloud-service`: lowercase letters and digits in hyphen-separated words, at most 64.
    public static func isChecklistID(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isChecklistID)
    }

    private static func isChecklistID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 64, bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            guard isLowerAlnum(byte) || byte == UInt8(ascii: "-") else { return false }
            if byte == UInt8(ascii: "-") && previous == UInt8(ascii: "-") { return false }
            previous = byte
        }
        return true
    }

    /// `ACCS-07`: `^[A-Z][A-Z0-9]*-[0-9]{2,}$`, at most 64.
    public static func isItemID(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count <= 64, let dash = bytes.lastIndex(of: UInt8(ascii: "-")) else { return false }
            return isPrefix(bytes[..<dash]) && bytes.count - dash - 1 >= 2 && bytes[(dash + 1)...].allSatisfy(isDigit)
        }
    }

    /// `ACCS`: `^[A-Z][A-Z0-9]*$`, at most 32.
    public static func isItemPrefix(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.count <= 32 && isPrefix(bytes[...]) }
    }

    /// A record ID, which is also its file name without `.json`: `^[A-Za-z0-9][A-Za-z0-9._-]*$`, at most 128.
    public static func isRecordID(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first, bytes.count <= 128, isAlnum(first) else { return false }
            return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        }
    }

    /// A SHA-256 as attest stores it: 64 lowercase hex digits.
    public static func isSHA256(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.count == 64 && bytes.allSatisfy { isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
        }
    }

    private static func isPrefix(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = bytes.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else { return false }
        return bytes.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || isDigit($0) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static func isLowerAlnum(_ byte: UInt8) -> Bool { isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isAlnum(_ byte: UInt8) -> Bool { isLowerAlnum(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
}
