import Foundation

extension UUID {
    /// The name-based UUID (version 5, SHA-1; RFC 9562 §5.5) of `name` in `namespace`: the same namespace and name
    /// always give the same UUID, on every device, so an import names its records without coordination.
    public init(nameBased name: String, in namespace: UUID) {
        let space = namespace.uuid
        var message: [UInt8] = [
            space.0, space.1, space.2, space.3, space.4, space.5, space.6, space.7,
            space.8, space.9, space.10, space.11, space.12, space.13, space.14, space.15,
        ]
        message.append(contentsOf: Array(name.utf8))
        var bytes = Array(SHA1.digest(message).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        self.init(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
