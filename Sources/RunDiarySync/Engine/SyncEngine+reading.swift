import Foundation
import GRDB
import RunDiaryModels

extension SyncEngine {
    /// One record of the local view (a deleted one too, marked so), or nil if the diary has none with that id.
    public func record(id: UUID) async throws -> LocalRecord? {
        try await database.read { db in try LocalView.record(db, id: id) }
    }

    /// The live records of one kind (deleted ones only if asked), in id order.
    public func records(_ entity: EntityKind, includingDeleted: Bool = false) async throws -> [LocalRecord] {
        try await database.read { db in try LocalView.records(db, entity: entity, includingDeleted: includingDeleted) }
    }

    /// The live records of one kind as their typed model.
    public func records<Record: DiaryRecord>(_ type: Record.Type) async throws -> [Record] {
        try await records(Record.entity).map { try $0.decode(as: Record.self) }
    }

    /// One record as its typed model; nil if there is none or it is deleted.
    public func record<Record: DiaryRecord>(_ type: Record.Type, id: UUID) async throws -> Record? {
        guard let record = try await record(id: id), record.entity == Record.entity, !record.isDeleted else { return nil }
        return try record.decode(as: Record.self)
    }

    /// The live records of one kind now and after every change, for a list that follows the diary.
    public nonisolated func observe(_ entity: EntityKind) -> DiaryObservation<[LocalRecord]> {
        DiaryObservation(ValueObservation.tracking { db in try LocalView.records(db, entity: entity) }.values(in: database))
    }

    /// The typed records of one kind now and after every change.
    public nonisolated func observe<Record: DiaryRecord>(_ type: Record.Type) -> DiaryObservation<[Record]> {
        DiaryObservation(
            ValueObservation.tracking { db in
                try LocalView.records(db, entity: Record.entity).map { try $0.decode(as: Record.self) }
            }.values(in: database))
    }

    /// One record now and after every change (nil while it does not exist).
    public nonisolated func observe(id: UUID) -> DiaryObservation<LocalRecord?> {
        DiaryObservation(ValueObservation.tracking { db in try LocalView.record(db, id: id) }.removeDuplicates().values(in: database))
    }

    /// Edits the server has refused, newest first; kept until dismissed.
    public func rejections() async throws -> [SyncRejection] {
        try await database.read { db in try Journal.rejections(db) }
    }

    /// Conflicts this device's edits met, newest first; kept until dismissed.
    public func conflicts() async throws -> [SyncConflict] {
        try await database.read { db in try Journal.conflicts(db) }
    }

    public func dismissRejection(mutationID: Int64) async throws {
        try await database.write { db in try Journal.dismissRejection(db, mutationID: mutationID) }
        await publishStatus()
    }

    public func dismissConflict(id: Int64) async throws {
        try await database.write { db in try Journal.dismissConflict(db, id: id) }
        await publishStatus()
    }

    /// The outbox: edits not yet acknowledged, and acknowledged ones a pull has not yet brought back; oldest first.
    public func outbox() async throws -> [PendingMutation] {
        try await database.read { db in try Outbox.all(db).map(\.pending) }
    }

    /// The server's state as of the last pull, exactly as pulled (tombstones included): what a device holds of the
    /// server, for checks and diagnostics.
    public func serverSnapshot() async throws -> [Change] {
        try await database.read { db in try ServerRecords.all(db) }
    }

    /// The greatest clock this device has issued or seen.
    public func latestClock() async throws -> HLC? {
        try await database.read { db in try DeviceState.read(db).clock }
    }
}

/// Values of a query now and after each change to the tables it read: an `AsyncSequence` a SwiftUI view can follow.
public struct DiaryObservation<Element: Sendable>: AsyncSequence, Sendable {
    private let base: AsyncValueObservation<Element>

    init(_ base: AsyncValueObservation<Element>) {
        self.base = base
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator())
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncValueObservation<Element>.Iterator

        public mutating func next() async throws -> Element? {
            try await base.next()
        }
    }
}
