import ArgumentParser

/// Every subcommand's examples, in one place: `attest CMD --help` (and `attest help CMD`) prints them
/// after ArgumentParser's help screen, and a test checks that every subcommand has some.
enum HelpExamples {
    static let byCommand: [String: [String]] = [
        "init": [
            "attest init",
            "attest init compliance-repo",
        ],
        "import": [
            "attest import Checklists/adobe-commerce-cloud-service/source/shared-responsibility.md \\",
            "  --checklist adobe-commerce-cloud-service",
            "attest import vendor/matrix.html --checklist acme-cloud --party \"Client Role\" --dry-run",
            "attest import vendor/raci.csv --checklist acme-cloud --source-version 2026-11",
        ],
        "list": [
            "attest list",
            "attest list --required --status pending",
            "attest list --kind inherited --format json",
        ],
        "show": [
            "attest show ACCS-11",
            "attest show installing-app --as-of 2026-09-30",
            "attest show 11 --format json",
        ],
        "status": [
            "attest status",
            "attest status --due-within 3m --as-of 2026-12-31",
            "attest status --format json",
        ],
        "tick": [
            "attest tick ACCS-11 --file evidence/review.pdf --note \"Q3 review\"",
            "attest tick installing-app --link https://jira.example.com/SEC-42 \\",
            "  --valid-until 2027-06-30",
            "attest tick ACCS-14 --note \"Pen test done in June\" --effective 2026-06-15",
        ],
        "revoke": [
            "attest revoke 230fb8ac --reason \"Attached the wrong file\"",
            "attest revoke wv-20261127T120904Z-ed30f4b3 --reason \"Migration finished early\"",
        ],
        "waive": [
            "attest waive ACCS-13 --reason \"Load tests move to the new region in Q1\" \\",
            "  --approved-by ciso@example.com --until 2027-03-31",
        ],
        "na": [
            "attest na ACCS-12 --reason \"We run no App Builder apps\" --approved-by cto@example.com",
        ],
        "review": [
            "attest review 230fb8ac --accept --by bob@example.com",
            "attest review 230fb8ac --reject --comment \"Report is for the wrong quarter\"",
        ],
        "settings": [
            "attest settings",
            "attest settings --review-required true --review-interval 1y",
            "attest settings --due-soon 6w --format json",
        ],
        "log": [
            "attest log",
            "attest log ACCS-11",
            "attest log --as-of 2026-09-30 --format json",
        ],
        "report": [
            "attest report",
            "attest report --only oscal --out audit/2026-q4",
            "attest report --as-of 2026-09-30 --checklist acme-cloud",
            "attest report --sign --key ~/.ssh/id_ed25519 --by alice@example.com",
        ],
        "gate": [
            "attest gate",
            "attest report && attest gate",
            "attest gate --checklist acme-cloud --format json",
        ],
        "verify": [
            "attest verify",
            "attest verify --digest DIGEST --as-of 2026-09-30T23:59:59.999Z   # both as the report printed them",
            "attest verify --since origin/main   # a pull request only adds records",
            "attest verify --format json",
        ],
        "approve": [
            "attest approve wv-20261127T120904Z-ed30f4b3 --by ciso@example.com --key ~/.ssh/id_ed25519",
            "attest approve ed30f4b3   # any unambiguous part of the ID; key from git's user.signingkey",
        ],
        "sign": [
            "attest sign ev-20261127T120904Z-230fb8ac --key ~/.ssh/id_ed25519",
            "attest sign 230fb8ac 8488d6f3   # several at once; key from git's user.signingkey",
        ],
        "signers add": [
            "attest signers add alice@example.com ~/.ssh/id_ed25519.pub",
            "attest signers add ciso@example.com keys/ciso.pub && git add allowed_signers && git commit -m \"ciso may sign\"",
        ],
        "signers list": [
            "attest signers list",
            "attest signers list --format json",
        ],
        "lint": [
            "attest lint vendor/matrix.md",
            "attest lint vendor/matrix.html --party \"Client Role\" --format json",
        ],
    ]

    /// The section printed after a subcommand's help screen (`signers add`); a command group's gathers its
    /// subcommands' (`signers`).
    static func section(for command: String) -> String? {
        let lines = byCommand[command] ?? byCommand.filter { $0.key.hasPrefix(command + " ") }.sorted { $0.key < $1.key }.flatMap(\.value)
        guard !lines.isEmpty else { return nil }
        return "EXAMPLES:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }
}

/// What the command line asked for before ArgumentParser sees it: help for a subcommand (to add its
/// examples), or a subcommand name that does not exist (to suggest the nearest).
enum CommandLineIntent {
    case help(any ParsableCommand.Type, name: String)
    case unknownSubcommand(typed: String, suggestion: String?)
    case parse

    static func of(_ arguments: [String], root: any ParsableCommand.Type) -> CommandLineIntent {
        let subcommands = root.configuration.subcommands
        let names = subcommands.map { $0._commandName }
        guard let first = arguments.first else { return .parse }
        if first == "help" {
            guard arguments.count > 1 else { return .parse }
            if let index = names.firstIndex(of: arguments[1]) {
                let (command, rest) = nested(subcommands[index], arguments.dropFirst(2))
                return .help(command, name: path(names[index], arguments.dropFirst(2).prefix(arguments.count - 2 - rest.count)))
            }
            return .unknownSubcommand(typed: arguments[1], suggestion: Suggestion.nearest(to: arguments[1], in: names))
        }
        if first.hasPrefix("-") { return .parse }
        guard let index = names.firstIndex(of: first) else {
            return .unknownSubcommand(typed: first, suggestion: Suggestion.nearest(to: first, in: names))
        }
        let words = arguments.dropFirst().prefix { $0 != "--" }
        let (command, rest) = nested(subcommands[index], words)
        let name = path(names[index], words.prefix(words.count - rest.count))
        if rest.contains("--help") || rest.contains("-h") { return .help(command, name: name) }
        // A command group (`signers`) followed by a word that is none of its subcommands: a typo of one.
        let inner = command.configuration.subcommands.map { $0._commandName }
        if !inner.isEmpty, let word = rest.first, !word.hasPrefix("-") {
            return .unknownSubcommand(typed: "\(name) \(word)", suggestion: Suggestion.nearest(to: word, in: inner).map { "\(name) \($0)" })
        }
        return .parse
    }

    /// `signers list`: a command's name and the subcommand words after it.
    private static func path(_ name: String, _ words: some Sequence<String>) -> String {
        ([name] + words).joined(separator: " ")
    }

    /// The innermost subcommand the leading words name (`signers list`), and the arguments after them.
    private static func nested(_ command: any ParsableCommand.Type, _ arguments: ArraySlice<String>)
        -> (command: any ParsableCommand.Type, rest: ArraySlice<String>) {
        var command = command, rest = arguments
        while let word = rest.first, let inner = command.configuration.subcommands.first(where: { $0._commandName == word }) {
            command = inner
            rest = rest.dropFirst()
        }
        return (command, rest)
    }
}

/// "Did you mean": the candidate closest to what was typed, when it is close enough.
enum Suggestion {
    static func nearest(to typed: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(typed.lowercased(), $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        if best.0.hasPrefix(typed.lowercased()) && !typed.isEmpty { return best.0 }
        return best.1 <= max(1, min(best.0.count, typed.count) / 3 + 1) ? best.0 : nil
    }

    /// Optimal string alignment distance (Levenshtein with adjacent transpositions: `tikc` → `tick` is 1).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
