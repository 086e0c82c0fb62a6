/// A runner's diary planted through the API, as a device would push it: `records` of the factory's mixed batch in
/// pushes of `batch`, then VACUUM ANALYZE so that every scenario measures a settled table.
enum DiarySeed {
    static func plant(
        records: Int, batch: Int, label: String, scenario: String, context: BenchContext
    ) async throws -> DeviceSession {
        let session = try await context.api.signUpDevice(label: label)
        let device = DeviceState(session: session)
        context.log("\(scenario): seeding \(records) records through \(records / batch) pushes of \(batch)")
        for index in 0..<(records / batch) {
            let generated = DiaryRecordFactory.mixedBatch(count: batch, seed: index * batch)
            let body = PushBody.make(generated, firstMutationID: device.takeMutationIDs(generated.count), device: session.deviceID)
            let reply = try await context.api.post("/v1/sync/push", json: body, token: session.token)
            guard reply.isSuccess, !reply.rejectsAny else {
                throw BenchError("\(scenario): seeding push failed: \(reply.status) \(reply.text.prefix(500))")
            }
        }
        try await context.database.psql.run("VACUUM ANALYZE;")
        return session
    }
}
