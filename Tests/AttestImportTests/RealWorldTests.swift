import AttestCore
import AttestImport
import Foundation
import Testing

/// The real pages in ../shared/real-world (and the seed). On a machine without that folder these tests
/// are reported as skipped, with the reason.
@Suite(.enabled(if: Paths.realWorldAvailable, "../shared/real-world is absent (as on a user's machine): real-page tests skipped"))
struct RealWorldTests {
    struct Expectation: CustomTestStringConvertible, Sendable {
        var file: String
        var items: Int
        var obligations: Int
        var customer: String
        var testDescription: String { file }
    }

    /// Every real page, with what it gives: item and obligation counts and the customer column found.
    static let pages: [Expectation] = [
        .init(file: "adobe/commerce-operations.en@02ebbd4e__help__security-and-compliance__shared-responsibility.md", items: 56, obligations: 21, customer: "Merchant"),
        .init(file: "adobe/commerce-operations.en@07b48a72__help__security-and-compliance__shared-responsibility.md", items: 179, obligations: 80, customer: "Merchant"),
        .init(file: "adobe/commerce-operations.en@5c7b6869__help__security-and-compliance__shared-responsibility.md", items: 56, obligations: 21, customer: "Merchant"),
        .init(file: "adobe/commerce-operations.en__help__security-and-compliance__shared-responsibility.md", items: 200, obligations: 94, customer: "Merchant"),
        .init(file: "adobe/commerce.de-DE__help__cloud-service__security__shared-responsibility.md", items: 34, obligations: 9, customer: "KUNDE"),
        .init(file: "adobe/commerce.en@87de43a5__help__cloud-service__security__shared-responsibility.md", items: 36, obligations: 8, customer: "Customer"),
        .init(file: "adobe/commerce.en@ac98e541__help__cloud-service__shared-responsibility.md", items: 35, obligations: 8, customer: "Customer"),
        .init(file: "adobe/commerce.en__help__cloud-service__security__shared-responsibility.md", items: 34, obligations: 9, customer: "Customer"),
        .init(file: "adobe/commerce.en__help__optimizer__shared-responsibility.md", items: 34, obligations: 9, customer: "Customer"),
        .init(file: "adobe/commerce.ja-JP__help__cloud-service__security__shared-responsibility.md", items: 34, obligations: 9, customer: "お客様"),
        .init(file: "adobe/graphql-mesh-gateway@3982f419__src__pages__mesh__security.md", items: 23, obligations: 10, customer: "Customers"),
        .init(file: "adobe/graphql-mesh-gateway@64ef069f__src__pages__mesh__security.md", items: 22, obligations: 9, customer: "Customers"),
        .init(file: "adobe/graphql-mesh-gateway__src__pages__mesh__security.md", items: 23, obligations: 10, customer: "Customers"),
        .init(file: "other/SecurityBenchmarks__Azure-Offer-Security-Baselines__3.0__app-service-azure-security-benchmark-v3-latest-security-baseline__sheet-Feature-Summary.DERIVED.csv", items: 44, obligations: 27, customer: "Customer"),
        .init(file: "other/azure-security-docs__articles__key-vault__managed-hsm__external-key-management-shared-responsibility.md", items: 16, obligations: 14, customer: "Customer"),
        .init(file: "other/cloud-temple-docs__docs__contractual__iaas__raci.md", items: 99, obligations: 58, customer: "Rôle Client"),
        .init(file: "other/cloud-temple-docs__i18n__en__docusaurus-plugin-content-docs__current__contractual__iaas__raci.md", items: 105, obligations: 64, customer: "Client Role"),
        .init(file: "other/cloud-temple-docs__i18n__en__docusaurus-plugin-content-docs__current__contractual__kubernetes__raci.md", items: 71, obligations: 33, customer: "Client"),
        .init(file: "other/cloud-temple-docs__i18n__en__docusaurus-plugin-content-docs__current__contractual__llmaas__raci.md", items: 24, obligations: 14, customer: "Client Role"),
        .init(file: "other/ibm-cloud-docs-cephaas__responsibility_matrix.md", items: 14, obligations: 13, customer: "Your Responsibilities"),
        .init(file: "other/sap-btp-cloud-platform__docs__70-getting-support__operating-model-9aafc94.md", items: 26, obligations: 20, customer: "Customer"),
    ]

    static func read(_ file: String) throws -> ParsedMatrix {
        try MatrixReader().read(contentsOf: Paths.realWorld.appendingPathComponent(file), path: file)
    }

    static func obligations(_ file: String) throws -> [String] {
        try read(file).rows.filter { $0.kind == .obligation }.map(\.task)
    }

    @Test(arguments: pages)
    func importsEveryReadablePage(page: Expectation) throws {
        let matrix = try Self.read(page.file)
        #expect(matrix.rows.count == page.items)
        #expect(matrix.rows.filter { $0.kind == .obligation }.count == page.obligations)
        #expect(matrix.customerParty == page.customer)
        #expect(matrix.rows.allSatisfy { !$0.task.isEmpty && !$0.task.contains("[!DNL") && !$0.task.contains("{{") && !$0.task.contains("<") })
    }

    @Test func everyFileInTheFolderIsCovered() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Paths.realWorld.path)
            .filter { ($0.hasSuffix(".md") || $0.hasSuffix(".csv")) && !$0.contains("_support") && $0 != "README.md" }
        let covered = Set(Self.pages.map(\.file) + ["other/ibm-cloud-docs-overview__shared-responsibility.md"])
        #expect(Set(files) == covered, "a new real page needs an expectation here")
    }

    @Test func transposedIBMOverviewFailsWithTheReason() throws {
        let file = "other/ibm-cloud-docs-overview__shared-responsibility.md"
        let error = try #require(throws: ImportError.self) { try Self.read(file) }
        let message = error.errorDescription ?? ""
        #expect(message.hasPrefix("\(file): error: no responsibility table found"))
        #expect(message.contains("transposed"))
    }

    /// The seed's eight obligations (the customer holds R or A).
    static let seedObligations = [
        "Integrating external applications",
        "Installing App Builder apps",
        "Testing performance of all App Builder apps",
        "Theming and design of custom App Builder apps",
        "Provisioning the production and sandbox environments",
        "Controlling Customer support and access",
        "Debugging and issue isolation",
        "Timely support of debugging and issue isolation process",
    ]

    @Test func seedObligations() throws {
        let matrix = try MatrixReader().read(contentsOf: Paths.seed, path: "seed")
        #expect(matrix.rows.count == 35)
        #expect(matrix.rows.filter { $0.kind == .obligation }.map(\.task) == Self.seedObligations)
        #expect(matrix.rows.filter { $0.kind == .consulted }.map(\.task) == ["Accessing Dynamics for Adobe Commerce on cloud infrastructure"])
        #expect(matrix.rows.filter { $0.kind == .informed }.count == 8)
        #expect(matrix.rows.filter { $0.kind == .inherited }.count == 18)
    }

    @Test func currentCloudServiceObligations() throws {
        // The current page adds deploying and maintaining App Builder applications to the seed's eight.
        #expect(try Self.obligations("adobe/commerce.en__help__cloud-service__security__shared-responsibility.md")
                == ["Deploying and maintaining of Adobe Developer App Builder applications"] + Self.seedObligations)
    }

    @Test func germanObligations() throws {
        #expect(try Self.obligations("adobe/commerce.de-DE__help__cloud-service__security__shared-responsibility.md") == [
            "Bereitstellung und Wartung Adobe Developer App Builder Anwendungen",
            "Integrieren externer Anwendungen",
            "Installieren von App Builder Apps",
            "Testen der Leistung aller App Builder-Apps",
            "Design und Design von benutzerdefinierten App Builder-Apps",
            "Bereitstellen der Produktions- und Sandbox-Umgebungen",
            "Steuerung des Kunden-Supports und des Zugriffs",
            "Debugging und Problemisolierung",
            "Rechtzeitige Unterstützung des Debugging- und Problemisolierungsprozesses",
        ])
    }

    @Test func japaneseObligations() throws {
        #expect(try Self.obligations("adobe/commerce.ja-JP__help__cloud-service__security__shared-responsibility.md") == [
            "Adobe Developer App Builder アプリケーションのデプロイと保守",
            "外部アプリケーションの統合",
            "App Builder アプリのインストール",
            "すべてのApp Builder アプリケーションのパフォーマンスをテストする",
            "App Builderカスタムアプリのテーマとデザイン",
            "本番環境とサンドボックス環境のプロビジョニング",
            "カスタマーサポートとアクセスの制御",
            "デバッグと問題の分離",
            "デバッグと問題分離プロセスのタイムリーなサポート",
        ])
    }

    @Test func apiMeshObligations() throws {
        let matrix = try Self.read("adobe/graphql-mesh-gateway__src__pages__mesh__security.md")
        #expect(matrix.parties == ["Adobe", "Customers", "CDN Provider"])
        #expect(matrix.rows.filter { $0.kind == .obligation }.map(\.task) == [
            "Creating, updating, or deleting mesh configurations",
            "Deploying mesh configurations into production",
            "Deploying mesh configurations into staging",
            "Integrating external applications and extensions",
            "Configuring logging",
            "Following API Mesh security best practices",
            "Resolving API Mesh customer security issues",
            "Performing PCI ASV scans on origin APIs",
            "Remediating origin API PCI scans",
            "Managing state data",
        ])
    }

    @Test func commerceOnCloudObligations() throws {
        let expected = try String(contentsOf: Paths.expected.appendingPathComponent("commerce-on-cloud-obligations.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        let matrix = try Self.read("adobe/commerce-operations.en__help__security-and-compliance__shared-responsibility.md")
        let actual = matrix.rows.filter { $0.kind == .obligation }.map { "\($0.section)\t\($0.task)\t\($0.customerLetters)" }
        #expect(actual == expected)
        let footnoted = try #require(matrix.rows.first { $0.task == "Configuring the source repository" })
        #expect(footnoted.notes.first?.hasPrefix("[1] Only if the Adobe Commerce on cloud infrastructure repository") == true)
    }

    @Test func olderCommercePageMixesMerchantAndCustomerHeaders() throws {
        let matrix = try Self.read("adobe/commerce-operations.en@07b48a72__help__security-and-compliance__shared-responsibility.md")
        #expect(matrix.parties.contains("Merchant") && matrix.parties.contains("Customer"))
    }

    @Test func sapBackupAndRestoreListBothPartiesAndAreObligations() throws {
        // The Responsibility cell holds a markdown list (`- SAP`, `- Customer`) inside one <td>: both parties.
        let matrix = try Self.read("other/sap-btp-cloud-platform__docs__70-getting-support__operating-model-9aafc94.md")
        let backup = matrix.rows.filter { $0.task.hasPrefix("Perform a backup") || $0.task.hasPrefix("Restore previously") }
        #expect(backup.map(\.task) == [
            "Perform a backup of the database systems hosted in the subaccount. If you as a customer deploy your custom storage on Kyma runtime, you're responsible for backing it up. See Volume Backup for Customer Data.",
            "Restore previously backed-up data to recover to a consistent state. If you as a customer deploy your custom databases on Kyma runtime, you're responsible for restoring them. See Volume Backup for Customer Data.",
        ])
        #expect(matrix.rows.filter { $0.kind == .obligation }.count == 20)
        #expect(backup.allSatisfy { $0.kind == .obligation && $0.responsibility == ["SAP": "R", "Customer": "R"] })
    }

    @Test func rowsWhereNobodyHoldsALetterAreLinted() throws {
        let matrix = try Self.read("adobe/commerce-operations.en__help__security-and-compliance__shared-responsibility.md")
        #expect(MatrixLinter.lint(matrix).contains { $0.anomaly == .nobody })
    }
}
