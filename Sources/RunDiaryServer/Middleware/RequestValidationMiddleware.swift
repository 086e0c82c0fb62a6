import HTTPTypes
import Hummingbird
import RunDiaryModels

/// Holds each request to what the OpenAPI document says its operation accepts: path and query parameters here,
/// the JSON body when the route reads it (``Request/parseJSONBody(context:limit:checkingText:)``). A request the
/// document forbids is 422 with the parameter or field at fault (or the code the document names with
/// `x-rundiary-code`), before any route code runs.
struct RequestValidationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let document: OpenAPIDocument

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let path = context.endpointPath, let operation = document.operation(request.method, path: path) else {
            return try await next(request, context)
        }
        for parameter in operation.parameters where !parameter.isCheckedByRoute {
            let values: [String]
            switch parameter.location {
            case "query": values = request.uri.queryParameters.getAll(parameter.name)
            case "path": values = context.parameters.get(parameter.name).map { [$0] } ?? []
            default: continue
            }
            guard let text = values.first else {
                if parameter.isRequired {
                    let issue = ValidationIssue(field: parameter.name, code: .missingField, message: "\(parameter.name) is required.")
                    throw Self.error(issue, status: parameter.status, code: parameter.missingCode)
                }
                continue
            }
            guard values.count == 1 else {
                let issue = ValidationIssue(
                    field: parameter.name, code: .invalidValue, message: "\(parameter.name) is given more than once.")
                throw Self.error(issue, status: parameter.status, code: parameter.code)
            }
            if let issue = parameter.schema.firstIssue(of: parameter.schema.value(ofParameter: text), at: parameter.name) {
                throw Self.error(issue, status: parameter.status, code: parameter.code)
            }
        }
        var context = context
        context.requestBodySchema = operation.jsonBody
        return try await next(request, context)
    }
}

extension RequestValidationMiddleware {
    /// 422 with the issue's code, unless the document names another status or code for this parameter.
    static func error(_ issue: ValidationIssue, status: Int?, code: String?) -> APIError {
        let code = code ?? issue.code.rawValue
        let status = status.map { HTTPResponse.Status(code: $0) } ?? .unprocessableContent
        return APIError(
            status, code: code, detail: issue.message,
            errors: [ValidationIssue(field: issue.field, code: ValidationCode(rawValue: code), message: issue.message)])
    }
}

extension APIError {
    /// 422 for one validation issue; the problem's code is the issue's.
    static func invalid(_ issue: ValidationIssue) -> APIError {
        APIError(.unprocessableContent, code: issue.code.rawValue, detail: issue.message, errors: [issue])
    }
}
