-- +goose Up
-- Result codes. result_type_code is the result's type from the national
-- procedure catalogue (mã kết quả, e.g. KQ.G15.000031), given by the
-- manifest. result_code identifies one record for good: <dossier>-KQ<nn>
-- when the record names a dossier (Decree 45/2020 Art. 14.3), else
-- <agency>-<year>-<nnnnnn>. result_code_counters holds the last number
-- taken per scope ("dossier:<code>" or "agency:<agency>:<year>", KHOSO for no agency); the catalog
-- takes the next one in the transaction that creates the record, so codes
-- are unique and without gaps.
ALTER TABLE records ADD COLUMN result_type_code TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN result_code TEXT NOT NULL DEFAULT '';
CREATE TABLE result_code_counters (
    scope  TEXT PRIMARY KEY,
    last_n BIGINT NOT NULL
);

-- Existing records, numbered in the order they were created. The year is
-- Vietnam's (UTC+7), as for new records.
UPDATE records SET result_code = numbered.code FROM (
    SELECT id, CASE WHEN dossier_code <> ''
        THEN dossier_code || '-KQ' || lpad((ROW_NUMBER() OVER (PARTITION BY dossier_code ORDER BY created_at, id))::text, 2, '0')
        ELSE (CASE WHEN agency = '' THEN 'KHOSO' ELSE agency END) || '-' || yr || '-'
            || lpad((ROW_NUMBER() OVER (PARTITION BY dossier_code = '', (CASE WHEN agency = '' THEN 'KHOSO' ELSE agency END), yr ORDER BY created_at, id))::text, 6, '0')
        END AS code
    FROM (SELECT *, to_char(created_at::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY') AS yr FROM records) AS r
) AS numbered WHERE records.id = numbered.id;
INSERT INTO result_code_counters (scope, last_n)
    SELECT 'dossier:' || dossier_code, COUNT(*) FROM records WHERE dossier_code <> '' GROUP BY dossier_code;
INSERT INTO result_code_counters (scope, last_n)
    SELECT 'agency:' || (CASE WHEN agency = '' THEN 'KHOSO' ELSE agency END) || ':' || yr, COUNT(*)
    FROM (SELECT agency, to_char(created_at::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY') AS yr
        FROM records WHERE dossier_code = '') AS r GROUP BY (CASE WHEN agency = '' THEN 'KHOSO' ELSE agency END), yr;

CREATE UNIQUE INDEX records_result_code ON records (result_code) WHERE result_code <> '';
CREATE INDEX records_result_type_code ON records (result_type_code);

-- +goose Down
DROP INDEX records_result_type_code;
DROP INDEX records_result_code;
DROP TABLE result_code_counters;
ALTER TABLE records DROP COLUMN result_code;
ALTER TABLE records DROP COLUMN result_type_code;
