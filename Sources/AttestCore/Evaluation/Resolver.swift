import Foundation

/// Turns what a user typed into an item or a record: an exact ID, or an unambiguous part of it.
public enum Resolver {
    /// Accepts an item ID (any case), its number (`7`, `07`), or an unambiguous part of the task's slug.
    public static func item(_ reference: String, in items: [ChecklistItem]) throws -> ChecklistItem {
        let wanted = reference.trimmingCharacters(in: .whitespaces)
        if let exact = items.first(where: { $0.id.caseInsensitiveCompare(wanted) == .orderedSame }) { return exact }
        if let number = Int(wanted), let match = items.first(where: { $0.number == number }) { return match }
        let slug = ChecklistItem.slug(wanted)
        if !slug.isEmpty {
            let matches = items.filter { $0.slug.contains(slug) }
            let live = matches.filter { !$0.retired }
            if live.count == 1 { return live[0] }
            if live.isEmpty && matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                throw StoreError.ambiguousItem(reference: reference,
                                               candidates: (live.isEmpty ? matches : live).prefix(8).map { "\($0.id) (\($0.slug))" })
            }
        }
        let suggestions = closest(to: wanted.lowercased(), among: items.flatMap { [$0.id.lowercased()] + [$0.slug] })
            .map { candidate in items.first { $0.id.lowercased() == candidate || $0.slug == candidate }!.id }
        throw StoreError.unknownItem(reference: reference, suggestions: Array(Set(suggestions)).sorted())
    }

    /// Accepts a record ID or an unambiguous part of one (`1a2b3c4d`).
    public static func record(_ reference: String, in records: [Record], types: Set<RecordType>) throws -> Record {
        let candidates = records.filter { types.contains($0.type) }
        let wanted = reference.trimmingCharacters(in: .whitespaces).lowercased()
        if let exact = candidates.first(where: { $0.id.lowercased() == wanted }) { return exact }
        let matches = wanted.count >= 4 ? candidates.filter { $0.id.lowercased().contains(wanted) } : []
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw StoreError.ambiguousRecord(reference: reference, candidates: matches.prefix(8).map(\.id)) }
        throw StoreError.unknownRecord(reference: reference, suggestions: closest(to: wanted, among: candidates.map(\.id)))
    }

    /// Up to three candidates within an edit distance that a typo explains.
    static func closest(to text: String, among candidates: [String]) -> [String] {
        let limit = max(2, text.count / 3)
        return candidates
            .map { ($0, editDistance(text, $0.count > text.count * 2 ? String($0.prefix(text.count + limit)) : $0)) }
            .filter { $0.1 <= limit }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .prefix(3).map(\.0)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
