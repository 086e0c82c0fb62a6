import CLibPQ
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// One libpq connection.
///
/// A connection is used by one task at a time: ``PostgresClient`` lends it out and takes it back. Every libpq call
/// that may wait on the network runs on the client's dedicated thread pool, never on Swift's cooperative pool.
// @unchecked Sendable: the PGconn and the prepared-statement cache are only touched by the one task the pool lent
// the connection to (libpq allows a connection to move between threads, not to be used by two at once); the cancel
// handle, the only state another thread may touch, sits behind a lock.
public final class PostgresConnection: @unchecked Sendable {
    private let connection: OpaquePointer
    private let threadPool: NIOThreadPool
    /// libpq's `PGcancel`, usable from any thread; freed (and set to nil) when the connection closes.
    private let cancelHandle: NIOLockedValueBox<OpaquePointer?>
    private var isClosed = false
    /// Whether statements are prepared once and then executed by name (``PostgresConfiguration/preparesStatements``).
    private let preparesStatements: Bool
    /// The statements this connection prepared: by text and parameter types, their server-side names.
    private var prepared: [StatementKey: String] = [:]
    /// The number in the next statement's name: never reused, since the server may still hold a name the cache
    /// forgot.
    private var nextStatementNumber = 1
    /// Set when a pipeline ended without reading every result: the connection is then never reused.
    private var abandonedPipeline = false

    /// The most statements one connection keeps prepared; later ones run unprepared. The program's statements are a
    /// fixed set, so the bound only matters for a caller building many distinct statements.
    static let preparedStatementLimit = 256

    private struct StatementKey: Hashable {
        let sql: String
        let types: [UInt32]
    }

    private init(connection: OpaquePointer, preparesStatements: Bool, threadPool: NIOThreadPool) {
        self.connection = connection
        self.threadPool = threadPool
        self.preparesStatements = preparesStatements
        self.cancelHandle = NIOLockedValueBox(PQgetCancel(connection))
    }

    /// Opens a connection from a libpq connection string or `postgresql://` URL.
    static func connect(
        to connectionString: String, applicationName: String, preparesStatements: Bool = true,
        threadPool: NIOThreadPool
    ) async throws -> PostgresConnection {
        try await threadPool.runIfActive {
            let connection = try openConnection(connectionString, applicationName: applicationName)
            return PostgresConnection(connection: connection, preparesStatements: preparesStatements, threadPool: threadPool)
        }
    }

    /// How many statements this connection holds prepared (for tests).
    var preparedStatementCount: Int { prepared.count }

    /// Runs one statement and returns its rows.
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        PostgresRows(handle: try await run { try $0.executeBlocking(query) })
    }

    /// Runs one statement and returns the number of rows it touched.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query).affectedRows
    }

    /// Runs SQL text that may hold several statements and no parameters (a migration file).
    public func executeScript(_ sql: String) async throws {
        _ = try await run { try $0.executeScriptBlocking(sql) }
    }

    /// Whether the connection is open, idle and has nothing waiting on its socket. An idle connection is never sent
    /// anything unasked, so readable data means the server wrote its farewell (backend terminated, server shutting
    /// down) or closed the socket: such a connection is replaced before anyone tries to use it.
    var isReusable: Bool {
        guard !isBroken, PQtransactionStatus(connection) == PQTRANS_IDLE else {
            return false
        }
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    /// Whether the connection broke, or a pipeline ended out of step with the server (``pipeline(_:)``).
    var isBroken: Bool { isClosed || abandonedPipeline || PQstatus(connection) != CONNECTION_OK }

    /// Closes the connection. Called once, by the pool, when the connection is no longer lent out.
    func close() async {
        guard !isClosed else { return }
        isClosed = true
        cancelHandle.withLockedValue { handle in
            if let handle { PQfreeCancel(handle) }
            handle = nil
        }
        let connection = UncheckedConnection(pointer: self.connection)
        let threadPool = self.threadPool
        // PQfinish may write a Terminate message to the socket, so it runs on the client's threads; and in a task of
        // its own, because a connection given back by a cancelled task must still be finished (the thread pool skips
        // a cancelled task's work), or its socket and backend would stay open.
        do {
            try await Task { try await threadPool.runIfActive { PQfinish(connection.pointer) } }.value
        } catch {
            // The threads stop only after every connection is closed (see PostgresClient.run()); were that ever to
            // change, finishing here beats leaking the connection.
            PQfinish(connection.pointer)
        }
    }

    // MARK: - Running blocking libpq calls

    private func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        guard !isClosed else {
            throw PostgresError(code: .connectionClosed, message: "the connection is closed")
        }
        return try await withTaskCancellationHandler {
            try Task.checkCancellation()
            return try await threadPool.runIfActive { try body(self) }
        } onCancel: {
            self.requestCancel()
        }
    }

    /// Asks the server to cancel the statement in progress; safe from any thread.
    private func requestCancel() {
        cancelHandle.withLockedValue { handle in
            guard let handle else { return }
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(handle, &message, Int32(message.count))
        }
    }

    private func executeBlocking(_ query: PostgresQuery) throws -> ResultHandle {
        let sql = query.sql
        let types = query.binds.metadata.map { Oid($0.type.oid) }
        return try withParameters(of: query) { count, values, lengths, formats in
            guard let name = try preparedName(sql: sql, types: types) else {
                return try checkResult(
                    PQexecParams(connection, sql, count, types, values, lengths, formats, 1 /* binary results */))
            }
            do {
                return try checkResult(PQexecPrepared(connection, name, count, values, lengths, formats, 1))
            } catch let error as PostgresError where error.sqlState == "26000" {
                // The server no longer knows the statement (DEALLOCATE/DISCARD ALL, or a pooler swapped the server
                // connection): forget every name. Outside a transaction nothing was aborted, so prepare and run it
                // again; inside one the transaction failed and the caller's retry prepares it anew.
                prepared.removeAll()
                guard PQtransactionStatus(connection) == PQTRANS_IDLE, let name = try preparedName(sql: sql, types: types)
                else { throw error }
                return try checkResult(PQexecPrepared(connection, name, count, values, lengths, formats, 1))
            }
        }
    }

    /// Calls `body` with `query`'s parameters as libpq takes them (count, values, lengths, formats: every value
    /// binary). The values live in one buffer, freed on every path out; it has one spare byte so that an empty value
    /// still gets a non-NULL pointer (libpq reads a NULL pointer as SQL NULL).
    private func withParameters<T>(
        of query: PostgresQuery,
        _ body: (Int32, [UnsafePointer<CChar>?], [Int32], [Int32]) throws -> T
    ) rethrows -> T {
        let binds = query.binds
        let metadata = binds.metadata
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: binds.bytes.count + 1, alignment: 1)
        defer { storage.deallocate() }
        storage.copyBytes(from: binds.bytes)
        let base = storage.baseAddress!.assumingMemoryBound(to: CChar.self)
        let values: [UnsafePointer<CChar>?] = metadata.map { $0.offset.map { UnsafePointer(base + $0) } }
        let lengths = metadata.map { Int32($0.length) }
        let formats = [Int32](repeating: 1, count: metadata.count)
        return try body(Int32(metadata.count), values, lengths, formats)
    }

    // MARK: - Pipelines

    /// What a pipeline returned: the rows of every statement that ran, and the first failure with its statement's
    /// place (the statements after it did not run).
    struct PipelineOutcome: Sendable {
        var results: [ResultHandle] = []
        var failure: (index: Int, error: PostgresError)?
    }

    /// Runs `queries` in order in one round trip — libpq's pipeline mode, one sync point after the last — and
    /// returns each one's rows.
    ///
    /// The first statement that fails ends the pipeline: those after it do not run, and its error is thrown. Without
    /// a BEGIN among them the statements form one implicit transaction (all of them commit, or none); inside a
    /// transaction a failure leaves it aborted, for the caller to roll back.
    @discardableResult
    public func pipeline(_ queries: [PostgresQuery]) async throws -> [PostgresRows] {
        let outcome = try await runPipeline(queries)
        if let failure = outcome.failure { throw failure.error }
        return outcome.results.map(PostgresRows.init(handle:))
    }

    func runPipeline(_ queries: [PostgresQuery]) async throws -> PipelineOutcome {
        try await run { try $0.pipelineBlocking(queries) }
    }

    private func pipelineBlocking(_ queries: [PostgresQuery], isRetry: Bool = false) throws -> PipelineOutcome {
        // Only a pipeline that began outside a transaction is its own implicit one, which a retry may run again whole.
        let beganIdle = PQtransactionStatus(connection) == PQTRANS_IDLE
        // Names first: preparing is a synchronous call, which pipeline mode does not allow. A statement the server
        // cannot prepare fails the pipeline before anything is sent.
        let types = queries.map { query in query.binds.metadata.map { Oid($0.type.oid) } }
        var names: [String?] = []
        var outcome = PipelineOutcome()
        for (index, query) in queries.enumerated() {
            do {
                names.append(try preparedName(sql: query.sql, types: types[index]))
            } catch let error as PostgresError {
                outcome.failure = (index, error)
                return outcome
            }
        }
        guard PQenterPipelineMode(connection) == 1 else { throw connectionError() }
        do {
            for (index, query) in queries.enumerated() {
                let sent = withParameters(of: query) { count, values, lengths, formats in
                    if let name = names[index] {
                        PQsendQueryPrepared(connection, name, count, values, lengths, formats, 1)
                    } else {
                        PQsendQueryParams(connection, query.sql, count, types[index], values, lengths, formats, 1)
                    }
                }
                guard sent == 1 else { throw connectionError() }
            }
            guard PQpipelineSync(connection) == 1 else { throw connectionError() }
            // Each statement's results end with a NULL; a statement skipped after a failure gives PIPELINE_ABORTED.
            for index in queries.indices {
                var answered = false
                while let result = PQgetResult(connection) {
                    answered = true
                    switch PQresultStatus(result) {
                    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                        outcome.results.append(ResultHandle(result))
                    case PGRES_PIPELINE_ABORTED:
                        PQclear(result)
                    default:
                        if outcome.failure == nil { outcome.failure = (index, serverError(from: result)) }
                        PQclear(result)
                    }
                }
                guard answered else { throw connectionError() }
            }
            guard let sync = PQgetResult(connection) else { throw connectionError() }
            let status = PQresultStatus(sync)
            PQclear(sync)
            guard status == PGRES_PIPELINE_SYNC, PQexitPipelineMode(connection) == 1 else { throw connectionError() }
        } catch {
            // Whatever is left unread, the connection cannot be trusted to be in step with the server any more.
            abandonedPipeline = true
            throw error
        }
        if let failure = outcome.failure, failure.error.sqlState == "26000" {
            // As in executeBlocking: the server forgot the statements, so forget every name. Begun outside a
            // transaction, the pipeline's implicit one rolled back whole: run it again. Inside one — even if it
            // committed before the failure (statements after a COMMIT) — the caller's retry prepares anew.
            prepared.removeAll()
            if beganIdle, PQtransactionStatus(connection) == PQTRANS_IDLE, !isRetry {
                return try pipelineBlocking(queries, isRetry: true)
            }
        }
        return outcome
    }

    /// The error for a libpq call that failed on the connection rather than in a statement.
    private func connectionError() -> PostgresError {
        PostgresError(code: isBroken ? .connectionClosed : .server, message: lastErrorMessage())
    }

    /// The name `sql` is prepared under on this connection, preparing it first if needed; nil when statements are
    /// not prepared (the configuration, or the cache is full).
    private func preparedName(sql: String, types: [Oid]) throws -> String? {
        guard preparesStatements else { return nil }
        let key = StatementKey(sql: sql, types: types.map { UInt32($0) })
        if let name = prepared[key] { return name }
        guard prepared.count < Self.preparedStatementLimit else { return nil }
        let name = "rd\(nextStatementNumber)"
        nextStatementNumber += 1
        let result = PQprepare(connection, name, sql, Int32(types.count), types)
        _ = try checkResult(result)
        prepared[key] = name
        return name
    }

    private func executeScriptBlocking(_ sql: String) throws -> ResultHandle {
        try checkResult(PQexec(connection, sql))
    }

    /// Turns a PGresult into rows or an error, clearing it exactly once on the error path.
    private func checkResult(_ result: OpaquePointer?) throws -> ResultHandle {
        guard let result else {
            throw PostgresError(code: isBroken ? .connectionClosed : .server, message: lastErrorMessage())
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return ResultHandle(result)
        default:
            let error = serverError(from: result)
            PQclear(result)
            throw error
        }
    }

    private func serverError(from result: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let message = field("M") ?? lastErrorMessage()
        return PostgresError(
            code: isBroken ? .connectionClosed : .server,
            message: message,
            sqlState: field("C"),
            detail: field("D"),
            hint: field("H"),
            constraint: field("n"),
            table: field("t"),
            column: field("c")
        )
    }

    private func lastErrorMessage() -> String {
        String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A PGconn pointer carried into a thread-pool closure after its owner is done with it.
// @unchecked Sendable: only used to hand a closed connection's pointer to PQfinish, once.
private struct UncheckedConnection: @unchecked Sendable {
    let pointer: OpaquePointer
}
