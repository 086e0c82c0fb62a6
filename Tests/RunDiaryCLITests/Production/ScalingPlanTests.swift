import Foundation
import Postgres
import RunDiaryModels
import RunDiaryTestSupport
import Testing

/// The schema keeps docs/scaling.md's plan possible: distributing every account's data by `user_id` on Citus.
@Suite("The schema can be distributed by account")
struct ScalingPlanTests {
    /// Tables without `user_id`, and what they become on Citus (docs/scaling.md). A new one needs a decision here.
    static let notByAccount: [String: String] = [
        "users": "distributed by id, co-located with the user_id tables",
        "login_failures": "reference table (keys are digests of addresses and e-mails, not accounts)",
        "sync_epoch": "reference table (one row)",
        "schema_migrations": "local to the coordinator",
    ]

    @Test("every table with diary data has user_id first in its primary key and in every foreign key between such tables")
    func keysLeadWithTheAccount() async throws {
        try await TestDatabase.withMigratedDatabase { _, database in
            let tables = try await database.query(
                """
                SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'user_id'
                                                                        AND NOT a.attisdropped)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                """
            ).map { try $0.decode((String, Bool).self) }
            let byAccount = Set(tables.filter(\.1).map(\.0))
            #expect(Set(tables.filter { !$0.1 }.map(\.0)) == Set(Self.notByAccount.keys))
            #expect(
                byAccount.isSuperset(of: ["runs", "pain_entries", "plans", "plan_items", "exercise_logs", "gear", "devices", "tokens"]))

            // Primary keys: user_id first.
            let primaryKeys = try await database.query(
                """
                SELECT c.relname, (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = k.conkey[1])
                FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND k.contype = 'p'
                """
            ).map { try $0.decode((String, String).self) }
            for table in byAccount {
                #expect(primaryKeys.first { $0.0 == table }?.1 == "user_id", "\(table)'s primary key starts with user_id")
            }

            // Foreign keys between account tables carry user_id to user_id; to users, user_id to id.
            let foreignKeys = try await database.query(
                """
                SELECT k.conname, c.relname, r.relname,
                       ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS u(n, i)
                             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i),
                       ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY AS u(n, i)
                             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)
                FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND k.contype = 'f'
                """
            ).map { try $0.decode((String, String, String, [String], [String]).self) }
            #expect(!foreignKeys.isEmpty)
            for (name, from, to, columns, referenced) in foreignKeys {
                #expect(byAccount.contains(from), "\(name): only account tables refer to others")
                let pairs = Dictionary(uniqueKeysWithValues: zip(columns, referenced))
                if to == "users" {
                    #expect(pairs == ["user_id": "id"], "\(name) refers to the account by user_id")
                } else {
                    #expect(byAccount.contains(to) && pairs["user_id"] == "user_id", "\(name) carries user_id to user_id")
                }
            }
        }
    }

    @Test(
        "no statement of the sync path touches two accounts: every plan PostgreSQL ran scans account tables for one account",
        .timeLimit(.minutes(5)))
    func syncPathStaysInOneAccount() async throws {
        // A cluster of the test's own, logging the plan of every statement (auto_explain), nested ones too.
        let cluster = try await ThrowawayCluster.start(settings: [
            "session_preload_libraries=auto_explain", "auto_explain.log_min_duration=0", "auto_explain.log_format=json",
            "auto_explain.log_nested_statements=on",
        ])
        do {
            try await Rundiary.run(["migrate"], databaseURL: cluster.url).requireSuccess()
            let server = try await ServeProcess.start(databaseURL: cluster.url)
            let web = WebClient(baseURL: "http://127.0.0.1:\(server.port)")
            do {
                _ = try await server.wait(for: "HTTP/1.1 200", at: "/ready")
                // Before it served, every connection of the server's pool (4 here) ran the warm-up: a pull and a push's
                // opening, with and without a token check (SyncStore.connectionWarmUp).
                let warmed = server.log().components(separatedBy: "\n").first { $0.contains("database connections warmed") }
                #expect(warmed?.contains("connections=4") == true, "\(warmed ?? "no warm-up in the server's log")")
                // Two accounts with the same diary: a statement reaching past its account would find the other's.
                var devices: [DiaryDevice] = []
                var firstAccount: [UUID] = []
                for email in ["one@example.org", "two@example.org"] {
                    let ids = (0..<4).map { _ in UUID() }
                    if firstAccount.isEmpty { firstAccount = ids }
                    var device = try await DiaryDevice(web: web, email: email)
                    device.upsert(.gear, ids[0], ["name": "Pegasus"])
                    device.upsert(
                        .run, ids[1], ["started_at": "2026-11-20T07:30:00+01:00", "elapsed_s": 1800, "gear_id": .string(ids[0].uuidString)])
                    device.upsert(.plan, ids[2], ["kind": "rehab", "title": "Hip"])
                    device.upsert(.planItem, ids[3], ["plan_id": .string(ids[2].uuidString), "kind": "strength", "exercise": "Squat"])
                    try await device.sync()
                    devices.append(device)
                }
                // Statistics as autovacuum leaves them in a new deployment's first minutes, each table a page or less;
                // the plans the server made so far are dropped and made again under them.
                try await Self.psql(cluster, "ANALYZE users, tokens, devices, request_allowances")
                // Marks the start of the sync path in the log: everything after is a device syncing.
                try await Self.mark(cluster, "sync path begins")
                let ids = firstAccount
                var tablet = try await DiaryDevice(web: web, email: "one@example.org")
                try await tablet.sync()
                tablet.upsert(.run, ids[1], ["notes": "tablet"])
                devices[0].upsert(.run, ids[1], ["notes": "phone"])
                devices[0].delete(.gear, ids[0])
                try await devices[0].sync()
                try await tablet.sync()
                try await devices[0].sync()
                for path in ["/v1/sync/conflicts", "/v1/sync/rejections", "/v1/devices"] {
                    #expect(try await web.send(.GET, path, token: tablet.token).status == 200)
                }
            } catch {
                Issue.record(error)
            }
            try await web.shutdown()
            try await server.stop()

            let log = try String(contentsOfFile: cluster.logPath, encoding: .utf8)
            let plans = Self.plans(in: log.components(separatedBy: "sync path begins").last ?? "")
            #expect(plans.count > 20, "the log holds the sync path's plans")
            let problems = plans.compactMap(Self.accountProblem)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            // The planner's estimates stay the size of one account's page: a pull once joined the one-row sync_epoch
            // table, which is never analysed, and was priced as 1,540 times its rows — past jit_above_cost in a
            // real database, so every pull was compiled (100–400 ms of CPU each).
            let texts = plans.map { ($0["Query Text"] as? String) ?? "" }
            let pulls = plans.filter { ($0["Query Text"] as? String)?.contains("seen AS (") == true }
            #expect(!pulls.isEmpty, "the log holds the pulls' plans")
            // A token the server has checked once is checked again inside the push's and the pull's first statement
            // (TokenCheck): after the mark, the tablet's first pull and its three other requests check on their own;
            // the two pushes and the other three pulls carry the check.
            let alone = texts.filter { $0.contains("FROM owner o") }.count
            let foldedPulls = texts.filter { $0.hasPrefix("WITH owner AS") && $0.contains("seen AS (") }.count
            let foldedPushes = texts.filter { $0.hasPrefix("WITH owner AS") && $0.contains("FOR UPDATE OF u, d") }.count
            #expect(
                (alone, foldedPulls, foldedPushes) == (4, 3, 2),
                "token checks on their own, in pulls, in pushes: \((alone, foldedPulls, foldedPushes))")
            for pull in pulls {
                let root = (pull["Plan"] as? [String: Any]) ?? [:]
                let rows = (root["Plan Rows"] as? Double) ?? .infinity
                let page = Self.nodes(of: "Limit", in: root).compactMap { $0["Plan Rows"] as? Double }.max() ?? 0
                // The page and its header row (the user's counter, the epoch).
                #expect(rows <= page + 1, "a pull's page is estimated at \(page) rows, the pull at \(rows)")
                // Nothing is sorted: the page is merged from the tables' version indexes as they yield it. Ordered
                // as a whole, PostgreSQL sorted every page again (563 kB per 1,000 changes) before its first row left.
                let sorts = Self.nodes(of: "Sort", in: root).map { ($0["Sort Key"] as? [String]) ?? [] }
                #expect(sorts.isEmpty, "a pull sorts its rows by \(sorts)")
            }
            #expect(plans.allSatisfy { $0["JIT"] == nil }, "no statement of the sync path is compiled (JIT)")
            // A record is found by its primary key, never by scanning the account's records and filtering by id:
            // a generic plan made while a table was empty once read every record of the account in four tables on
            // every push (docs/benchmarks.md).
            let byFilter = plans.compactMap(Self.idFilteredScan)
            #expect(byFilter.isEmpty, "\(byFilter.joined(separator: "\n"))")
            // Nor by reading the account's records whole and joining them with the ids: planned while a table was
            // empty, the lookup of the batch's ids became a hash join over every record of the account in it.
            let lookups = plans.filter { (($0["Query Text"] as? String) ?? "").contains("AS wanted(id)") }
            #expect(
                lookups.contains { (($0["Query Text"] as? String) ?? "").hasPrefix("SELECT r.* FROM") },
                "the log holds the loads of stored records: \(lookups.count) lookups")
            let notByKey = lookups.compactMap(Self.scanNotByKey)
            #expect(notByKey.isEmpty, "\(notByKey.joined(separator: "\n"))")
            // No statement a push, a pull, a token check or a sign-in runs reads a table whole: planned while these
            // tables were a page each (the ANALYZE above), they scanned users, tokens and devices on every sync, long
            // after those had grown (docs/benchmarks.md).
            let keyed = plans.filter { plan in
                let text = (plan["Query Text"] as? String) ?? ""
                return Self.keyedStatementMarks.contains { text.contains($0) }
            }
            #expect(keyed.count >= 15, "the log holds the pushes', pulls', checks' and sign-in's plans: \(keyed.count)")
            let scans = keyed.compactMap(Self.tableScan)
            #expect(scans.isEmpty, "\(scans.joined(separator: "\n"))")
        } catch {
            Issue.record(error)
        }
        try await cluster.destroy()
    }

    /// A statement that leaves its text in the log, to find where the sync path starts.
    static func mark(_ cluster: ThrowawayCluster, _ text: String) async throws {
        try await psql(cluster, "SELECT '\(text)'")
    }

    /// Runs `sql` (the test's own text) on the cluster's database with psql.
    static func psql(_ cluster: ThrowawayCluster, _ sql: String) async throws {
        try await Subprocess.run(
            try TestDatabase.environment("RUNDIARY_TEST_PG_BINDIR") + "/psql", ["-X", "-q", "-c", sql, cluster.url]
        ).requireSuccess("psql")
    }

    /// The JSON plans auto_explain logged (`LOG:  duration: … ms  plan:` followed by the JSON).
    static func plans(in log: String) -> [[String: Any]] {
        var plans: [[String: Any]] = []
        for chunk in log.components(separatedBy: "plan:\n").dropFirst() {
            // The JSON runs until the next log line (which starts with a timestamp).
            var lines: [Substring] = []
            for line in chunk.split(separator: "\n", omittingEmptySubsequences: false) {
                if let first = line.first, first.isNumber, !lines.isEmpty { break }
                lines.append(line)
            }
            if let plan = try? JSONSerialization.jsonObject(with: Data(lines.joined(separator: "\n").utf8)) as? [String: Any] {
                plans.append(plan)
            }
        }
        return plans
    }

    /// The nodes of `type` in a plan, at any depth.
    static func nodes(of type: String, in node: [String: Any]) -> [[String: Any]] {
        let children = (node["Plans"] as? [[String: Any]]) ?? []
        return (node["Node Type"] as? String == type ? [node] : []) + children.flatMap { nodes(of: type, in: $0) }
    }

    /// The tables holding records (by `(user_id, id)`).
    static let recordTables: Set<String> = ["runs", "pain_entries", "plans", "plan_items", "exercise_logs", "gear"]

    /// A scan in `plan` that filters an account's rows by record id instead of looking the id up in an index, or nil.
    static func idFilteredScan(_ plan: [String: Any]) -> String? {
        let query = (plan["Query Text"] as? String) ?? "?"
        guard let root = plan["Plan"] as? [String: Any] else { return nil }
        var found: String?
        func visit(_ node: [String: Any]) {
            if let relation = node["Relation Name"] as? String, Self.recordTables.contains(relation),
                let filter = node["Filter"] as? String, filter.contains("(id = ")
            {
                found = found ?? "\(relation) scanned by \(node["Index Name"] as? String ?? "no index"), filtered by \(filter)"
            }
            for child in (node["Plans"] as? [[String: Any]]) ?? [] { visit(child) }
        }
        visit(root)
        return found.map { "\($0) — \(query)" }
    }

    /// A scan of a record table in `plan` (a lookup of ids) that does not find each row by both columns of its primary
    /// key, or nil.
    static func scanNotByKey(_ plan: [String: Any]) -> String? {
        let query = (plan["Query Text"] as? String) ?? "?"
        guard let root = plan["Plan"] as? [String: Any] else { return nil }
        var found: String?
        func visit(_ node: [String: Any]) {
            if let relation = node["Relation Name"] as? String, Self.recordTables.contains(relation) {
                let condition = (node["Index Cond"] as? String) ?? ""
                if !(condition.contains("(user_id = ") && condition.contains("(id = wanted.id)")) {
                    found =
                        found
                        ?? "\(relation): \(node["Node Type"] as? String ?? "?") with \(condition.isEmpty ? "no index condition" : condition)"
                }
            }
            for child in (node["Plans"] as? [[String: Any]]) ?? [] { visit(child) }
        }
        visit(root)
        return found.map { "\($0) — \(query)" }
    }

    /// Text found in each statement of a push (its locks, id probe, record loads, writes), a pull, a token check on its
    /// own (and the one saying why a check refused), a token's use being recorded, and a sign-in, and in no other.
    static let keyedStatementMarks = [
        "seen AS (", "d.last_mutation_id", "AS wanted(id)", "counter AS (", "FROM owner o", "WITH touched AS (",
        "lower(u.email) = lower(",
    ]

    /// A sequential scan in `plan`, or nil: every table these statements read has an index to find its rows by.
    static func tableScan(_ plan: [String: Any]) -> String? {
        let query = (plan["Query Text"] as? String) ?? "?"
        guard let root = plan["Plan"] as? [String: Any] else { return nil }
        let scanned = nodes(of: "Seq Scan", in: root).compactMap { $0["Relation Name"] as? String }
        return scanned.isEmpty ? nil : "reads \(scanned.joined(separator: ", ")) whole — \(query)"
    }

    /// Why `plan` may touch more than one account, or nil. Every scan of a table with `user_id` must be bounded by
    /// `user_id = <one account>` (a constant, the same in the whole statement, or equal to a row's user_id the
    /// statement already bounded), or by a token's hash (unique: one token, one account); none may say `user_id <>`.
    static func accountProblem(_ plan: [String: Any]) -> String? {
        let query = (plan["Query Text"] as? String) ?? "?"
        guard let root = plan["Plan"] as? [String: Any] else { return nil }
        var accounts: Set<String> = []
        var problem: String?
        func visit(_ node: [String: Any]) {
            let conditions = ["Index Cond", "Filter", "Recheck Cond", "Join Filter", "Hash Cond", "Merge Cond"]
                .compactMap { node[$0] as? String }.joined(separator: " AND ")
            for match in conditions.matches(of: /user_id = '([0-9a-f-]{36})'::uuid/) { accounts.insert(String(match.1)) }
            if conditions.contains("user_id <>") { problem = "reads other accounts (user_id <>)" }
            if let relation = node["Relation Name"] as? String, Self.notByAccount[relation] == nil,
                node["Node Type"] as? String != "ModifyTable"
            {
                let bounded = conditions.contains("user_id = ") || conditions.contains("token_hash = ")
                if !bounded { problem = problem ?? "scans \(relation) without bounding user_id: \(conditions)" }
            }
            for child in (node["Plans"] as? [[String: Any]]) ?? [] { visit(child) }
        }
        visit(root)
        if accounts.count > 1 { problem = problem ?? "names \(accounts.count) accounts" }
        return problem.map { "\($0) — \(query)" }
    }
}

extension Rundiary.Outcome {
    @discardableResult
    func requireSuccess() throws -> Rundiary.Outcome {
        guard status == 0 else { throw TestSetupError("rundiary exited \(status): \(stderr)") }
        return self
    }
}
