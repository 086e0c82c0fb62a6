-- Live sync (issue 11).

-- What makes an API token valid, written once: not revoked, its device not revoked, its user not disabled (or
-- erased). Signing a request in (RunDiaryStore's AccountStore.owner(ofToken:)) and the live channel's periodic check
-- of its open streams (AccountStore.invalidTokens) both read it, so a stream is closed for exactly the reasons a
-- request would be refused.
CREATE VIEW valid_tokens AS
SELECT t.user_id, t.id, t.device_id, t.token_hash, t.last_used_at
FROM tokens t
JOIN users u ON u.id = t.user_id
JOIN devices d ON d.user_id = t.user_id AND d.id = t.device_id
WHERE t.revoked_at IS NULL AND d.revoked_at IS NULL AND u.disabled_at IS NULL;

-- Change notices travel on the channel `rundiary_changes` (pg_notify in the push transaction, payload
-- "<user id> <version>"; RunDiaryStore's ChangeNotice). They need no table: PostgreSQL delivers them to every
-- server instance's LISTEN connection when, and only if, the push commits.
