import GRDB

/// The local database's tables (docs/client.md describes them); one file per account.
enum LocalSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-outbox-and-records") { db in
            // One row: who this device is, and every position that must survive a restart. The mutation counter
            // and the clock change in the same transaction as the outbox, so neither can ever go back.
            try db.execute(
                sql: """
                    CREATE TABLE device (
                        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                        device_id TEXT NOT NULL,
                        server_url TEXT,
                        email TEXT,
                        user_id TEXT,
                        token TEXT,
                        last_mutation_id INTEGER NOT NULL DEFAULT 0,
                        acknowledged_through INTEGER NOT NULL DEFAULT 0,
                        clock TEXT,
                        cursor TEXT,
                        generation INTEGER NOT NULL DEFAULT 0,
                        resetting INTEGER NOT NULL DEFAULT 0,
                        last_synced_at REAL
                    );
                    -- The server's state as of the cursor: exactly what the pulls brought, nothing local.
                    CREATE TABLE server_records (
                        id TEXT PRIMARY KEY,
                        entity TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        deleted INTEGER NOT NULL,
                        fields TEXT NOT NULL,
                        clocks TEXT NOT NULL,
                        generation INTEGER NOT NULL
                    );
                    -- This device's edits, oldest first, each exactly as it is pushed. An acknowledged edit stays
                    -- until a pull has brought back its effect, so the local view never loses it in between.
                    CREATE TABLE outbox (
                        mutation_id INTEGER PRIMARY KEY,
                        record_id TEXT NOT NULL,
                        mutation TEXT NOT NULL,
                        queued_at REAL NOT NULL,
                        acknowledged INTEGER NOT NULL DEFAULT 0,
                        verdict_unknown INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX outbox_by_record ON outbox (record_id, mutation_id);
                    -- The local view the app reads: server_records merged with the outbox by the shared Merge.
                    CREATE TABLE records (
                        id TEXT PRIMARY KEY,
                        entity TEXT NOT NULL,
                        server_version INTEGER,
                        deleted INTEGER NOT NULL,
                        fields TEXT NOT NULL,
                        clocks TEXT NOT NULL,
                        pending INTEGER NOT NULL
                    );
                    CREATE INDEX records_by_entity ON records (entity, deleted);
                    CREATE TABLE rejections (
                        mutation_id INTEGER PRIMARY KEY,
                        code TEXT NOT NULL,
                        field TEXT,
                        message TEXT NOT NULL,
                        issues TEXT NOT NULL,
                        mutation TEXT NOT NULL,
                        rejected_at REAL NOT NULL
                    );
                    CREATE TABLE conflicts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        mutation_id INTEGER NOT NULL,
                        entity TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        field TEXT NOT NULL,
                        conflict TEXT NOT NULL,
                        recorded_at REAL NOT NULL,
                        UNIQUE (mutation_id, field)
                    );
                    """)
        }
        migrator.registerMigration("2-reset-copy") { db in
            // During a reset, the server's state as pulled from no cursor, kept apart until the last page so that
            // what the device held can be compared with it and pushed back (docs/sync-protocol.md §9.5).
            try db.execute(
                sql: """
                    CREATE TABLE reset_records (
                        id TEXT PRIMARY KEY,
                        entity TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        deleted INTEGER NOT NULL,
                        fields TEXT NOT NULL,
                        clocks TEXT NOT NULL
                    );
                    """)
        }
        return migrator
    }
}
