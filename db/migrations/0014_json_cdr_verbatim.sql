-- A leg's mod_json_cdr document is kept as FreeSWITCH posted it: json, not jsonb.
--
-- The document is the record of what the switch said about the leg, read whole and never queried into: the facts the
-- service and its admins query are columns of their own, and the leg's variables stay jsonb in `variables`. jsonb
-- took the document apart and stored it rebuilt (keys reordered and deduplicated, numbers and spacing normalised);
-- json keeps the text, after checking that it is JSON. It is also the single largest cost of a CDR to PostgreSQL:
-- building the jsonb of a 10 KB document took 150 us of a leg row's 260 us (json: 57 us), and every leg writes one.
--
-- Changing a column's type rewrites the table under an exclusive lock, and call_legs is the largest table there is
-- (no retention deletes CDRs). So nothing is rewritten: the jsonb column keeps the documents stored so far under a new
-- name, and a new json column takes the name and every document from now on. Both statements change only the
-- catalog. Readers take the new column, else the old one (LegStore). A service still on the previous version during
-- a rolling upgrade keeps working: its jsonb parameter is cast to json on assignment.
ALTER TABLE call_legs RENAME COLUMN json_cdr TO json_cdr_jsonb;
ALTER TABLE call_legs ADD COLUMN json_cdr json NULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE call_legs ALTER COLUMN json_cdr SET COMPRESSION lz4;
    END IF;
END
$$;
