-- RunDiary's database and its two roles, least privilege (docs/deploy.md). Run once, as a superuser:
--   sudo -u postgres psql -v owner=rundiary_owner -v app=rundiary_app -v dbname=rundiary -f roles.sql
-- then give both roles passwords (\password rundiary_owner, \password rundiary_app).
--
--   owner  owns the database and its schema; `rundiary migrate` and `rundiary-backup restore` run as it.
--   app    what `rundiary serve`, the timers and the admin commands run as: it reads and writes rows, and
--          nothing else — no DDL, no superuser, no CREATE anywhere, no role or database attributes.
\set ON_ERROR_STOP on

CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE :"dbname" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"dbname" TO :"app";

\connect :"dbname"
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
-- Every table, identity sequence and function the owner creates from now on (each migration): rows only.
SET ROLE :"owner";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO :"app";
RESET ROLE;
