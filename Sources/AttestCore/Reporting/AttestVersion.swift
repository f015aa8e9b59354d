/// The version of attest, as `attest --version` and every report's generator block print it.
public enum AttestVersion {
    public static let current = "0.2.0"
}
