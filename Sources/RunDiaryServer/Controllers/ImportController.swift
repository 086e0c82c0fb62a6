import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import NIOPosix
import RunDiaryImport
import RunDiaryModels
import RunDiaryStore

/// `POST /v1/import`: one activity file (FIT, TCX, GPX, any of them gzipped) or ZIP (a Strava export, or activity
/// files) per request, as `multipart/form-data`; answers one result per activity.
///
/// The runs go through the sync path as mutations of the account's import device (docs/sync-protocol.md §9.6), so
/// every device pulls them and conflicts follow the usual rules; the uploading device's mutation ids and clock are
/// left alone.
struct ImportController: Sendable {
    let services: AppServices
    let store: SyncStore
    let clock: ServerClock

    /// The name of the import device in the device list.
    static let deviceName = "server import"

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post { request, context in try await importFile(request, context: context) }
        return routes
    }

    private func importFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let configuration = services.configuration
        guard let boundary = request.headers[.contentType].flatMap(MultipartUpload.boundary(contentType:)) else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                detail: "Upload the file as multipart/form-data, in a part named \"file\".")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxImportBytes)
        } catch {
            throw APIError(
                .contentTooLarge, code: "payload_too_large",
                detail: "An upload may be at most \(configuration.maxImportBytes) bytes; split a larger export.")
        }
        let upload = try MultipartUpload(body: Data(buffer: body), boundary: boundary)
        var limits = ImportLimits()
        limits.maximumArchiveBytes = configuration.maxImportBytes
        let readLimits = limits
        // Reading expands and parses: CPU work kept off the event loops and the cooperative pool.
        let files = try await NIOThreadPool.singleton.runIfActive {
            RunImporter.read(files: [ImportSource(name: upload.filename, data: upload.data)], limits: readLimits)
        }
        let proposed = files.filter { $0.outcome == .proposed }
        let importDevice = ImportIdentity.serverImportDevice(accountID: identity.userID)
        let verdicts = try await store.importRecords(
            userID: identity.userID, deviceID: importDevice, deviceName: Self.deviceName,
            groups: proposed.map(\.records),
            now: Date(), maxClockSkewSeconds: configuration.maxClockSkewSeconds,
            gearKey: ImportIdentity.normalisedGearName,
            stamp: { [clock] in
                let now = clock.now()
                return HLC(physicalMillis: now.physicalMillis, counter: now.counter, node: importDevice)
            })
        var verdictsByFile = zip(proposed.map(\.name), verdicts).makeIterator()
        var results: [ImportResult] = []
        for file in files {
            switch file.outcome {
            case .skipped(let issue):
                results.append(ImportResult(file: file, status: .skipped, code: issue.code.rawValue, message: issue.message))
            case .refused(let issue):
                results.append(ImportResult(file: file, status: .refused, code: issue.code.rawValue, message: issue.message))
            case .proposed:
                guard let (_, verdict) = verdictsByFile.next() else { continue }
                results.append(ImportResult(file: file, verdict: verdict))
            }
        }
        return try jsonResponse(ImportResponse(results: results, serverHLC: clock.now()))
    }
}

/// The body of `POST /v1/import`'s answer.
struct ImportResponse: Encodable {
    let results: [ImportResult]
    let serverHLC: HLC

    enum CodingKeys: String, CodingKey {
        case results
        case serverHLC = "server_hlc"
    }
}

/// One activity's result.
struct ImportResult: Encodable {
    let file: String
    let status: ImportStatus
    /// The run's record id, when there is one.
    let runID: UUID?
    /// The run's server version after the import (imported, updated).
    let version: Int64?
    let code: String?
    let message: String?
    let warnings: [ValidationIssue]

    init(file: ImportedFile, status: ImportStatus, code: String?, message: String?) {
        self.file = file.name
        self.status = status
        self.runID = nil
        self.version = nil
        self.code = code
        self.message = message
        self.warnings = file.warnings
    }

    init(file: ImportedFile, verdict: SyncStore.ImportVerdict) {
        self.file = file.name
        self.runID = file.run?.id
        self.warnings = file.warnings
        switch verdict {
        case .created(let version):
            (status, self.version, code, message) = (.imported, version, nil, nil)
        case .updated(let version):
            (status, self.version, code, message) = (.updated, version, nil, nil)
        case .unchanged:
            (status, self.version, code, message) = (.unchanged, nil, nil, nil)
        case .deleted:
            (status, self.version, code, message) = (
                .skipped, nil, "deleted_in_diary", "The run was deleted in the diary; a delete is final, so it is not imported again."
            )
        case .rejected(let reason, let text):
            (status, self.version, code, message) = (.refused, nil, reason, text)
        }
    }

    enum CodingKeys: String, CodingKey {
        case file, status, version, code, message, warnings
        case runID = "run_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(runID.map { $0.uuidString.lowercased() }, forKey: .runID)
        try container.encodeIfPresent(version, forKey: .version)
        try container.encodeIfPresent(code, forKey: .code)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encode(warnings, forKey: .warnings)
    }
}
