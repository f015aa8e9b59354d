import AttestCLI

@main
struct Entrypoint {
    static func main() { AttestCommand.main() }
}
