public import Foundation

extension AllowedSigners {
    /// One signature to judge: `signature` (the `.sig` file's bytes) over `bytes`, for `principal` in
    /// `namespace` at `time`.
    public struct SignatureCheck: Sendable {
        public var signature: Data
        public var bytes: Data
        public var principal: String
        public var namespace: String
        public var time: Date

        public init(signature: Data, bytes: Data, principal: String, namespace: String, time: Date) {
            self.signature = signature
            self.bytes = bytes
            self.principal = principal
            self.namespace = namespace
            self.time = time
        }
    }

    /// `ssh-keygen -Y verify -f allowed_signers -I principal -n namespace -s signature
    /// -Overify-time=time < bytes`, in-process: valid only over the exact bytes, for a key listed for that
    /// principal in that namespace and valid at that time (truncated to the second). Never throws: every
    /// way a signature can fail is a `SignatureProblem`.
    public func verify(signature: Data, of bytes: Data, principal: String, namespace: String, at time: Date) -> SignatureVerdict {
        let parsed: SSHSignature
        do {
            parsed = try SSHSignature(armored: signature)
        } catch let error as SSHSignatureError {
            return .invalid(error.unsupported ? .unsupported(error.detail) : .malformed(error.detail))
        } catch {
            return .invalid(.malformed("\(error)"))
        }
        return verify(parsed, of: bytes, principal: principal, namespace: namespace, at: time)
    }

    /// The same, for a signature already parsed.
    public func verify(_ signature: SSHSignature, of bytes: Data, principal: String, namespace: String, at time: Date) -> SignatureVerdict {
        switch signature.check(bytes, namespace: namespace) {
        case .problem(let problem):
            return .invalid(problem)
        case .valid(let securityKey):
            switch authorize(signature.publicKey, principal: principal, namespace: namespace, at: time) {
            case .success(let entry):
                return .valid(SignedBy(principal: principal, key: signature.publicKey, allowedSignersLine: entry.line, securityKey: securityKey))
            case .failure(let problem):
                return .invalid(problem)
            }
        }
    }

    /// Many checks at once, spread over every core; verdicts in the order of `checks`.
    public func verify(_ checks: [SignatureCheck]) -> [SignatureVerdict] {
        Parallel.map(checks.count) { index in
            let check = checks[index]
            return verify(signature: check.signature, of: check.bytes, principal: check.principal, namespace: check.namespace, at: check.time)
        }
    }

    /// Whether `key` may sign as `principal` in `namespace` at `time`: the first line (in file order) that
    /// lists the key for the principal, permits the namespace and is valid then, as `sshsig_check_allowed_keys`
    /// looks for it. When none does, the reason closest to success.
    public func authorize(_ key: SSHPublicKey, principal: String, namespace: String, at time: Date) -> Result<Entry, SignatureProblem> {
        let positions = entriesByKey[key] ?? []
        guard !positions.isEmpty else { return .failure(.keyNotListed(key)) }
        let seconds = SSHTime.seconds(time)
        var best: SignatureProblem = .wrongPrincipal(principal: principal, key: key)
        var bestRank = 0
        for position in positions {
            let entry = entries[position]
            guard entry.lists(principal: principal) else { continue }
            guard entry.permits(namespace: namespace) else {
                if bestRank < 1 {
                    best = .namespaceNotAllowed(namespace: namespace, principal: principal, key: key)
                    bestRank = 1
                }
                continue
            }
            if let after = entry.validAfterSeconds, seconds < after {
                if bestRank < 2 {
                    best = .notYetValid(principal: principal, key: key, validAfter: entry.validAfter!)
                    bestRank = 2
                }
                continue
            }
            if let before = entry.validBeforeSeconds, seconds > before {
                if bestRank < 2 {
                    best = .expired(principal: principal, key: key, validBefore: entry.validBefore!)
                    bestRank = 2
                }
                continue
            }
            return .success(entry)
        }
        return .failure(best)
    }
}
