import Foundation

extension PushResponse {
    /// The response as compact JSON: the members `JSONEncoder` writes for it, not necessarily in its order.
    ///
    /// Nearly every verdict is a mutation id, a status and a version: those are written here directly. A verdict that
    /// carries more (a rejection's code and message, stale fields, conflicts, validation errors) goes through
    /// `JSONEncoder`, like the whole response did before — which was 4 % of the server's CPU in a push of 100
    /// mutations (issue 10).
    public func json() throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(80 + results.count * 64)
        bytes.append(contentsOf: #"{"results":["#.utf8)
        var encoder: JSONEncoder?
        for (index, result) in results.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard result.isPlain else {
                let fallback = encoder ?? JSONEncoder()
                encoder = fallback
                bytes.append(contentsOf: try fallback.encode(result))
                continue
            }
            bytes.append(contentsOf: #"{"mutation_id":"#.utf8)
            bytes.append(contentsOf: String(result.mutationID).utf8)
            bytes.append(contentsOf: #","status":"#.utf8)
            JSONValue.appendString(result.status.rawValue, to: &bytes)
            if let version = result.version {
                bytes.append(contentsOf: #","version":"#.utf8)
                bytes.append(contentsOf: String(version).utf8)
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(contentsOf: #"],"last_mutation_id":"#.utf8)
        bytes.append(contentsOf: String(lastMutationID).utf8)
        bytes.append(contentsOf: #","server_hlc":""#.utf8)
        serverHLC.appendText(to: &bytes)
        bytes.append(contentsOf: #""}"#.utf8)
        return bytes
    }
}

extension MutationResult {
    /// Whether the verdict is only a mutation id, a status and perhaps a version.
    fileprivate var isPlain: Bool {
        code == nil && field == nil && message == nil && staleFields == nil && conflicts == nil && errors == nil
    }
}
