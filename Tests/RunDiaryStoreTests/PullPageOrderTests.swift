import Postgres
import Testing

@testable import RunDiaryStore

/// A pull's statement returns its header row and its changes without an ORDER BY of its own (PostgreSQL 15 sorted the
/// whole page again for one); the page reads them in order whatever order they arrive in.
@Suite("The order of a pull's rows")
struct PullPageOrderTests {
    @Test("rows as PostgreSQL returns them: the header first, the changes in version order, taken as they are")
    func inOrder() throws {
        let order = try SyncStore.PageOrder([nil, 4, 7, 9, 12])
        #expect(order.header == 0)
        #expect(order.changes == [1, 2, 3, 4])
    }

    @Test("rows in any other order: the header found, the changes put in version order")
    func outOfOrder() throws {
        let versions: [Int64?] = [9, 4, nil, 12, 7]
        let order = try SyncStore.PageOrder(versions)
        #expect(order.header == 2)
        #expect(order.changes.map { versions[$0] } == [4, 7, 9, 12])
        let shuffled: [Int64?] = [31, 30, 29, 28, nil]
        #expect(try SyncStore.PageOrder(shuffled).changes == [3, 2, 1, 0])
    }

    @Test("a page of only its header; no header, or two, is an error")
    func header() throws {
        let empty = try SyncStore.PageOrder([nil])
        #expect(empty.header == 0 && empty.changes.isEmpty)
        #expect(throws: PostgresError.self) { try SyncStore.PageOrder([3, 4]) }
        #expect(throws: PostgresError.self) { try SyncStore.PageOrder([]) }
        #expect(throws: PostgresError.self) { try SyncStore.PageOrder([nil, 3, nil]) }
    }
}
