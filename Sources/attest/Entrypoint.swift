import AttestCLI

@main
struct Entrypoint {
    static func main() async { await AttestCommand.main() }
}
