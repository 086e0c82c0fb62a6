import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiaryExports
import RunDiaryStore

struct UserExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an account's whole diary as one ZIP file (data portability).",
        discussion: """
            The archive holds the report (report.html, and report.pdf for print), a FHIR R4 bundle (fhir-bundle.json), one CSV per \
            entity (csv/) and a README. It is written from one consistent snapshot; an existing file is never \
            overwritten. The file holds health data: it is created readable by its owner only.

            Examples:
              rundiary user export ana@example.org --out ana-diary.zip
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's email.") var email: String
    @Option(help: "The ZIP file to create.") var out: String

    func run() async throws {
        let file = URL(fileURLWithPath: out)
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw CommandFailure("\(out) already exists; choose another file")
        }
        try await database.withClient(logger: commandLogger("rundiary.user")) { client in
            let userID = try await AdminStore(client: client).userID(email: email)
            do {
                try await writeFullExport(userID: userID, client: client, to: file)
            } catch let error as CocoaError {
                throw CommandFailure("cannot write \(out): \(error.localizedDescription)")
            }
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        print("wrote \(out) (\(size) bytes)")
    }
}
