import Foundation

/// Party names and cell values the importer understands.
public enum Vocabulary {
    /// Header names that mean "the customer" (compared ignoring case and markup).
    public static let customerHeaders: [String] = [
        "customer", "customers", "merchant", "client", "client role", "rôle client", "your responsibilities", "kunde", "お客様",
    ]

    /// Header names of a single column that names the responsible party.
    static let responsibilityHeaders: Set<String> = [
        "responsibility", "responsible", "responsible party", "responsibility owner", "owner", "owned by", "party",
    ]

    /// Task column names, in order of preference.
    static let taskHeaders = ["task", "activity", "area", "control", "process"]

    /// Columns that give context but name no party.
    static let contextWords = ["description", "notes", "note", "comment", "comments", "details", "scope", "domain",
                               "category", "guidance", "reference", "feature", "title"]

    /// Normalizes a header for comparison: plain text, lower case, single spaces.
    static func normalizedHeader(_ raw: String) -> String {
        Markup.plain(raw).text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " :*"))
    }

    static func isIDHeader(_ normalized: String) -> Bool {
        let words = normalized.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        return normalized == "#" || normalized == "no." || normalized == "no" || words.contains("id") || words.last == "ref"
    }

    /// The normalized letters of a cell (`RA`, `CI`, ``) in R, A, C, I order, or nil when the value cannot be read.
    public static func letters(_ raw: String) -> String? {
        var text = Markup.plain(raw).text
        // Footnote stars and trailing footnote numbers: `I*`, `RA*`, `R3`.
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "*†‡ ."))
        if text.isEmpty || ["-", "–", "—", "n/a", "na", "none", "/"].contains(text.lowercased()) { return "" }
        // A check mark owns the row; the words after it only qualify it (`✅ Configures and retains`).
        if let first = text.unicodeScalars.first, checkMarks.contains(first) { return "R" }
        var found = Set<Character>()
        let lowered = text.lowercased().replacingOccurrences(of: " and ", with: ",")
        let tokens = lowered.split(whereSeparator: { ",/;+&| \t\n".contains($0) })
        for rawToken in tokens {
            var token = String(rawToken).trimmingCharacters(in: CharacterSet(charactersIn: "*()[]:.\u{FE0F}"))
            if token.isEmpty { continue }
            if let letter = word[token] {
                found.insert(letter)
                continue
            }
            // A trailing footnote number glued to letters: `ra1`.
            while let last = token.last, last.isNumber, token.count > 1 { token.removeLast() }
            guard token.allSatisfy({ "raci".contains($0) }), !token.isEmpty else { return nil }
            for character in token { found.insert(Character(character.uppercased())) }
        }
        return "RACI".filter { found.contains($0) }
    }

    /// The letters of a cell that lists several values (`<li>R</li><li>A</li>`): their union, or nil when
    /// one cannot be read.
    static func letters(values: [String]) -> String? {
        if values.count == 1 { return letters(values[0]) }
        var found = Set<Character>()
        for value in values {
            guard let read = letters(value) else { return nil }
            found.formUnion(read)
        }
        return "RACI".filter { found.contains($0) }
    }

    static let checkMarks: Set<Unicode.Scalar> = ["✅", "✓", "✔", "☑"]

    private static let word: [String: Character] = [
        "r": "R", "a": "A", "c": "C", "i": "I",
        "responsible": "R", "responsibility": "R", "accountable": "A", "consulted": "C", "informed": "I",
        "owner": "R", "owns": "R", "own": "R", "x": "R", "✓": "R", "✅": "R", "✔": "R", "☑": "R", "yes": "R",
    ]

    /// What a cell of a single responsibility column says.
    enum Named: Equatable {
        case customer
        case shared
        case notApplicable
        /// Another party (the provider).
        case party(String)
    }

    /// Splits `SAP, Customer` or `Customer and SAP` into the parties it names.
    static func namedParties(_ raw: String, customerNames: Set<String>) -> [Named] {
        let text = Markup.plain(raw).text
        let lowered = text.lowercased()
        if lowered.isEmpty { return [] }
        if ["not applicable", "n/a", "na", "not-applicable"].contains(lowered) { return [.notApplicable] }
        if ["shared", "both", "joint", "shared responsibility"].contains(lowered) { return [.shared] }
        let parts = text.replacingOccurrences(of: " and ", with: ",").replacingOccurrences(of: " & ", with: ",")
            .split(whereSeparator: { ",/;\n".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return parts.map { part in
            let key = part.lowercased()
            if customerNames.contains(key) { return .customer }
            if ["shared", "both"].contains(key) { return .shared }
            return .party(part)
        }
    }
}
