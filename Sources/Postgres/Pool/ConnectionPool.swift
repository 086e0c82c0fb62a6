import NIOConcurrencyHelpers

/// A bounded set of connections, each lent to one task at a time.
///
/// A task that finds every connection lent out waits, in arrival order, and stops waiting when it is cancelled; when
/// `maxWaiting` tasks already wait, it fails at once with ``PostgresError/Code/poolBusy``.
///
/// The pool grows one connection at a time: while a connection is being opened, a task that finds none idle waits
/// for the first to come free — a lent connection comes back within a statement's time — or for the next one opened,
/// which the first waiter gets as soon as the one being opened is done. A burst of requests therefore does not open
/// a dozen backends at once (each a process whose caches and prepared statements start cold: 12 of them at the
/// start of a 400 ticks/s step held every request for up to 300 ms, docs/benchmarks.md).
/// A connection that broke (backend terminated, server restarted) is closed and replaced on the next lease.
///
/// Idle connections are lent in the order they came back, the least recently used first, so every connection of the
/// pool stays in use and warm (its backend's caches, its prepared statements and their plans). Lent most recently used
/// first, a pool kept two or three connections busy at a steady rate and the rest idle; a burst then ran on backends
/// that parsed and planned each statement for the first time, and its queue grew: at 400 ticks/s the 99.9th
/// percentile was 152–304 ms in five runs of seven; lent in turn, 30–54 ms in four runs of five (the fifth met a 67 ms
/// `fdatasync`, docs/benchmarks.md). The price is PostgreSQL's CPU per request, about 8 % more at a steady rate (each
/// backend's memory is colder in the CPU's caches), and a sequential pull about 14 % slower.
/// ``fill()`` opens the connections ahead of the first burst.
final class ConnectionPool: Sendable {
    /// What a waiting task is handed: a connection, or the right to open a new one.
    private enum Grant: Sendable {
        case connection(PostgresConnection)
        case permit
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Grant, any Error>
    }

    /// What becomes of a connection given back.
    private enum Return {
        case kept
        case lent(Waiter)
        case close
    }

    private struct State {
        /// Idle connections, the least recently used first.
        var idle: [PostgresConnection] = []
        /// Connections open or being opened, lent out or idle.
        var open = 0
        /// Connections being opened (at most one, but for those replacing a broken connection).
        var opening = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var isClosed = false
        /// Calls of ``close()`` waiting for the last connection to be closed.
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())
    private let maxConnections: Int
    private let maxWaiting: Int?
    private let connect: @Sendable () async throws -> PostgresConnection

    init(
        maxConnections: Int, maxWaiting: Int? = nil, connect: @escaping @Sendable () async throws -> PostgresConnection
    ) {
        self.maxConnections = maxConnections
        self.maxWaiting = maxWaiting
        self.connect = connect
    }

    /// How the pool's connections are used right now (for metrics).
    var usage: PostgresPoolUsage {
        state.withLockedValue { state in
            PostgresPoolUsage(inUse: state.open - state.idle.count, idle: state.idle.count, waiting: state.waiters.count)
        }
    }

    /// Lends a connection; give it back with ``release(_:)``.
    func lease() async throws -> PostgresConnection {
        switch try await grant() {
        case .connection(let connection):
            if connection.isReusable { return connection }
            await connection.close()
            state.withLockedValue { $0.opening += 1 }
            return try await openWithPermit()
        case .permit:
            return try await openWithPermit()
        }
    }

    /// Runs `body` once on each connection idle right now, one after another, and gives each back when its turn is
    /// done; connections lent out meanwhile are left alone. Returns how many it ran on.
    func withEachIdle(_ body: (PostgresConnection) async -> Void) async -> Int {
        let taken = state.withLockedValue { state in
            defer { state.idle = [] }
            return state.idle
        }
        for connection in taken {
            await body(connection)
            await release(connection)
        }
        return taken.count
    }

    /// Takes a connection back: idle and healthy ones go to the next waiter or the idle list, others are closed.
    func release(_ connection: PostgresConnection) async {
        let reusable = connection.isReusable
        let returned: Return = state.withLockedValue { state in
            guard reusable, !state.isClosed else { return .close }
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return .kept
            }
            return .lent(state.waiters.removeFirst())
        }
        switch returned {
        case .kept:
            break
        case .lent(let waiter):
            waiter.continuation.resume(returning: .connection(connection))
        case .close:
            await connection.close()
            freeSlot()
        }
    }

    /// Closes idle connections, fails waiters, and returns once every connection is closed: those lent out are closed
    /// when they come back.
    func close() async {
        let (idle, waiters) = state.withLockedValue { state in
            state.isClosed = true
            defer {
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(code: .poolClosed, message: "the client is shut down"))
        }
        for connection in idle {
            await connection.close()
            freeSlot()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = state.withLockedValue { state in
                if state.open == 0 { return true }
                state.drained.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
    }

    /// Opens connections, one at a time, until the pool has as many as it may: each goes to the first waiting task,
    /// or joins the idle ones. Returns early when the pool closes or another task is opening one; throws the first
    /// failure to connect (the pool still grows on demand afterwards).
    func fill() async throws {
        while true {
            let permitted = state.withLockedValue { state -> Bool in
                guard !state.isClosed, state.open < maxConnections, state.opening == 0 else { return false }
                state.open += 1
                state.opening += 1
                return true
            }
            guard permitted else { return }
            let connection: PostgresConnection
            do {
                connection = try await connect()
            } catch {
                state.withLockedValue { $0.opening -= 1 }
                freeSlot()
                throw error
            }
            state.withLockedValue { $0.opening -= 1 }
            await release(connection)
        }
    }

    // MARK: - Private

    private func grant() async throws -> Grant {
        let id = state.withLockedValue { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                let immediate: Result<Grant, any Error>? = state.withLockedValue { state in
                    if state.isClosed {
                        return .failure(PostgresError(code: .poolClosed, message: "the client is shut down"))
                    }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if !state.idle.isEmpty { return .success(.connection(state.idle.removeFirst())) }
                    if state.open < maxConnections, state.opening == 0 {
                        state.open += 1
                        state.opening += 1
                        return .success(.permit)
                    }
                    if let maxWaiting, state.waiters.count >= maxWaiting {
                        return .failure(
                            PostgresError(
                                code: .poolBusy,
                                message: "every connection is in use and \(maxWaiting) tasks already wait for one"))
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Opens a connection in a slot already counted in `open` and `opening`; on failure the slot goes to a waiter or
    /// is freed. Either way, a task still waiting then gets the right to open the next one.
    private func openWithPermit() async throws -> PostgresConnection {
        do {
            let connection = try await connect()
            grow()
            return connection
        } catch {
            state.withLockedValue { $0.opening -= 1 }
            freeSlot()
            throw error
        }
    }

    /// A connection was opened: if tasks still wait and there is room, the first opens the next one.
    private func grow() {
        let waiter: Waiter? = state.withLockedValue { state in
            state.opening -= 1
            guard !state.isClosed, state.opening == 0, state.open < maxConnections, !state.waiters.isEmpty else {
                return nil
            }
            state.open += 1
            state.opening += 1
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: .permit)
    }

    /// A slot was freed (its connection closed, or never opened): the first waiter gets it and opens a connection of
    /// its own (so that when the server is down every waiter gets an error, not a hang), or it is counted as gone.
    private func freeSlot() {
        let (waiter, drained): (Waiter?, [CheckedContinuation<Void, Never>]) = state.withLockedValue { state in
            if !state.isClosed, !state.waiters.isEmpty {
                state.opening += 1
                return (state.waiters.removeFirst(), [])
            }
            state.open -= 1
            guard state.isClosed, state.open == 0 else { return (nil, []) }
            defer { state.drained = [] }
            return (nil, state.drained)
        }
        waiter?.continuation.resume(returning: .permit)
        drained.forEach { $0.resume() }
    }
}

/// A snapshot of a client's pool: connections lent out (or being opened), idle, and tasks waiting for one.
public struct PostgresPoolUsage: Sendable, Hashable {
    public let inUse: Int
    public let idle: Int
    public let waiting: Int
}
