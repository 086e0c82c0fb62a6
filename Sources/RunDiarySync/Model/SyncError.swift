import Foundation
import RunDiaryModels

/// Why a sync, a sign-in or a request to the server did not succeed.
///
/// `description` says what happened in general terms; the server's answer, when there was one, is in ``problem``.
public struct SyncError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure; a struct so that later versions can add codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case signedOut, unreachable, rateLimited, refused, invalidResponse, accountMismatch, recordNotFound
        }
        private let base: Base

        /// No account, or the server answered 401: sign in again. Unsent edits are kept.
        public static let signedOut = Code(base: .signedOut)
        /// No connection, a timeout, or 5xx answers, still after the retries of one sync.
        public static let unreachable = Code(base: .unreachable)
        /// The server answered 429 more often than one sync retries.
        public static let rateLimited = Code(base: .rateLimited)
        /// The server refused the request in a way retrying cannot fix (4xx, such as 422 on a whole push).
        public static let refused = Code(base: .refused)
        /// The server's answer could not be read as the protocol says.
        public static let invalidResponse = Code(base: .invalidResponse)
        /// The database belongs to another account or server than the one signed in to.
        public static let accountMismatch = Code(base: .accountMismatch)
        /// No record with that id in the local diary.
        public static let recordNotFound = Code(base: .recordNotFound)

        public var description: String {
            switch base {
            case .signedOut: "signed_out"
            case .unreachable: "unreachable"
            case .rateLimited: "rate_limited"
            case .refused: "refused"
            case .invalidResponse: "invalid_response"
            case .accountMismatch: "account_mismatch"
            case .recordNotFound: "record_not_found"
            }
        }
    }

    public let code: Code
    /// The HTTP status, when the server answered.
    public let status: Int?
    /// The server's problem+json body, when it sent one.
    public let problem: ProblemDetails?
    /// A short explanation for people; never holds a token or health data.
    public let detail: String

    public init(_ code: Code, status: Int? = nil, problem: ProblemDetails? = nil, detail: String) {
        self.code = code
        self.status = status
        self.problem = problem
        self.detail = detail
    }

    public var description: String {
        if let problem { return "\(detail) (\(problem.code): \(problem.detail ?? problem.title))" }
        return detail
    }
}

/// An edit the engine refused before queuing it, with the code the server would have answered.
public struct EditRejected: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: RejectionCode
    /// The field at fault, if one is.
    public let field: String?
    public let message: String
    /// Every validation issue found.
    public let issues: [ValidationIssue]

    public init(code: RejectionCode, field: String?, message: String, issues: [ValidationIssue] = []) {
        self.code = code
        self.field = field
        self.message = message
        self.issues = issues
    }

    init(_ rejection: MergeRejection) {
        self.init(code: rejection.code, field: rejection.field, message: rejection.message, issues: rejection.issues)
    }

    public var description: String {
        "\(code): \(message)"
    }
}
