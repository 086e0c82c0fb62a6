import Foundation
import RunDiaryModels

/// A record as the app sees it: the server's state as last pulled, with this device's unsent edits merged on top.
public struct LocalRecord: Hashable, Sendable, Identifiable {
    public let entity: EntityKind
    public let id: UUID
    /// The server's version of the record as last pulled; nil while the server has not (yet) sent it.
    public let serverVersion: Int64?
    /// Whether the record is deleted (a tombstone: no fields).
    public let isDeleted: Bool
    /// The field values by wire name; `null` for a cleared field.
    public let fields: [String: JSONValue]
    /// The clock of each field's last write.
    public let clocks: [String: HLC]
    /// Whether this device has edits of the record the server has not acknowledged yet.
    public let hasPendingChanges: Bool

    public init(
        entity: EntityKind, id: UUID, serverVersion: Int64?, isDeleted: Bool, fields: [String: JSONValue],
        clocks: [String: HLC], hasPendingChanges: Bool
    ) {
        self.entity = entity
        self.id = id
        self.serverVersion = serverVersion
        self.isDeleted = isDeleted
        self.fields = fields
        self.clocks = clocks
        self.hasPendingChanges = hasPendingChanges
    }

    /// The record as its typed model, such as ``Run``; fields a newer server added are ignored.
    public func decode<Record: DiaryRecord>(as type: Record.Type = Record.self) throws -> Record {
        try Record(id: id, fields: fields.filter { !$0.value.isNull })
    }
}
