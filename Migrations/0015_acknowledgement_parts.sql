-- A device's acknowledgement window in two parts (issue 10): `devices.acknowledged` keeps only the newest entries
-- (at most 96 after a push of up to 96 mutations; RunDiaryStore's AcknowledgedMutations), the new table
-- `device_acknowledgements` the older ones, up to 600 per device.
--
-- The whole window (600 entries of 16 bytes, 9.6 kB) was rewritten by every push once a device had sent 600
-- mutations: stored out of line, so each push read its five chunks back and wrote five new ones. Measured with pgbench
-- on the benchmark machine, rewriting a full window cost about 150 µs of CPU per push more than a 640-byte one
-- (4 clients: 4,040–4,556 against 6,224–6,534 updates/s) — every long-used device paid it on every sync. Now a push
-- rewrites the few hundred bytes of the newest part, kept in the device's row; the older part is rewritten once the
-- newest part is full, and read only by a push that resends acknowledged mutations (a retry). It has a table of its
-- own so that the device's row, which every signed request reads, stays as narrow as it was.
--
-- Existing windows become the newest part as they are: the first push of each device then folds them into the older
-- part. Digests are random bytes: the older part is stored without compression.
CREATE TABLE device_acknowledgements (
    user_id uuid NOT NULL,
    device_id uuid NOT NULL,
    entries bytea NOT NULL CHECK (octet_length(entries) <= 600 * 16 AND octet_length(entries) % 16 = 0),
    PRIMARY KEY (user_id, device_id),
    FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, id) ON DELETE CASCADE
);
ALTER TABLE device_acknowledgements ALTER COLUMN entries SET STORAGE EXTERNAL;
