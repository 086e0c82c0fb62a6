import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import RunDiaryModels
import RunDiaryTestSupport

/// HTTP(S) to a RunDiary server or the nginx in front of it, as a device's app would talk: HTTP/2 when TLS offers it,
/// the test's own certificate authority trusted.
final class WebClient: Sendable {
    let baseURL: String
    private let http: HTTPClient

    /// A reply with its body collected.
    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: Data
        let version: HTTPVersion

        /// The body as a JSON object, for checking fields by name.
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }

        func decode<T: Decodable>(_: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: body) }
    }

    /// `trusting`: a PEM file of the certificate authority that signed the server's certificate.
    init(baseURL: String, trusting certificateAuthority: String? = nil) {
        self.baseURL = baseURL
        var configuration = HTTPClient.Configuration()
        if let certificateAuthority {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(certificateAuthority)
            configuration.tlsConfiguration = tls
        }
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async throws {
        try await http.shutdown()
    }

    func send(
        _ method: HTTPMethod, _ path: String, token: String? = nil, json: (any Encodable)? = nil, raw: Data? = nil,
        headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(json)))
        } else if let raw {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: raw))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body), version: response.version)
    }

    /// Registers `email` (if new) and signs `deviceID` in; returns the device's token.
    func signIn(email: String, deviceID: UUID, password: String = "correct horse battery") async throws -> String {
        let registered = try await send(.POST, "/v1/auth/register", json: ["email": email, "password": password])
        guard registered.status == 201 || registered.status == 409 else {
            throw TestSetupError("register answered \(registered.status): \(registered.text)")
        }
        let login = try await send(
            .POST, "/v1/auth/login",
            json: LoginRequest(email: email, password: password, device: .init(id: deviceID, name: "device", platform: "test")))
        guard login.status == 200, let token = login.json["token"] as? String else {
            throw TestSetupError("login answered \(login.status): \(login.text)")
        }
        return token
    }
}
