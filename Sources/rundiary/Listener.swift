import Glibc
import NIOCore
import RunDiaryCommandLine
import ServiceLifecycle

/// A service of `rundiary serve` that listens on an address (the API, the metrics endpoint): when the address cannot
/// be bound, the command's one stderr line says which listener and which address, instead of NIO's
/// `bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`.
struct Listener<Inner: Service>: Service {
    /// What listens, as the line names it: "the API", "the metrics endpoint".
    let name: String
    let host: String
    let port: Int
    let inner: Inner

    func run() async throws {
        do {
            try await inner.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES || error.errnoCode == EADDRNOTAVAIL {
            let reason =
                switch error.errnoCode {
                case EADDRINUSE: "another process listens there"
                case EACCES: "permission denied (ports below 1024 need privileges)"
                default: "no interface of this host has that address"
                }
            throw CommandFailure("\(name) cannot listen on \(host):\(port): \(reason)")
        }
    }
}
