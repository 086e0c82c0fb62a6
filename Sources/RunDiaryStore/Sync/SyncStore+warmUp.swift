import Foundation
import Postgres
import RunDiaryModels

extension SyncStore {
    /// What every new database connection of a server runs once, before the server serves
    /// (``PostgresClient/warmConnections(_:)``): a pull and a push's opening statements as a request runs them — with
    /// the token check folded in, as the server sends them once it knows a token, and without — for a token and an
    /// account that do not exist, so they find, lock, meter and change nothing.
    ///
    /// Between them they name every record table, the indexes sync reads them by and the tables a token check reads,
    /// so that a backend loads their catalogs and plans (and, as the server runs, prepares) these statements now
    /// rather than on a device's request: on each of the pool's 16 new backends a pull's page of 1,000 took 20–27 ms,
    /// 6 ms once warm (docs/benchmarks.md).
    ///
    /// `rate` is the server's per-user request rate (the check's statements differ with and without one).
    package static func connectionWarmUp(rate: RequestRate?) -> [[PostgresQuery]] {
        let nobody = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let check = TokenCheck(
            tokenHash: Data(count: 32), owner: AccountStore.TokenOwner(userID: nobody, deviceID: nobody, tokenID: nobody),
            rate: rate)
        let probe = Mutation(
            mutationID: 1, entity: .painEntry, id: nobody, op: .delete, hlc: HLC(physicalMillis: 0, counter: 0, node: nobody))
        let loads = EntityTable.all.map { $0.records([nobody], of: nobody) }
        return [nil, check].flatMap { check -> [[PostgresQuery]] in
            [
                [
                    "SELECT \(PostgresQuery.keyLookupsOnly)",
                    pullStatement(userID: nobody, deviceID: nobody, after: nil, limit: 1000, check: check),
                ],
                PushBatch.Opening(userID: nobody, deviceID: nobody, mutations: [probe], check: check).queries + loads,
            ]
        }
    }
}
