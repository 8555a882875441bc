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
    last_n INTEGER NOT NULL
);

-- Existing records, numbered in the order they were created.
UPDATE records SET result_code = numbered.code FROM (
    SELECT id, CASE WHEN dossier_code <> ''
        THEN dossier_code || '-KQ' || printf('%02d',
            ROW_NUMBER() OVER (PARTITION BY dossier_code ORDER BY created_at, id))
        ELSE (CASE WHEN agency = '' THEN 'KHOSO' ELSE agency END) || '-'
            || strftime('%Y', created_at, '+7 hours') || '-' || printf('%06d',
            ROW_NUMBER() OVER (PARTITION BY dossier_code = '', (CASE WHEN agency = '' THEN 'KHOSO' ELSE agency END), strftime('%Y', created_at, '+7 hours')
                ORDER BY created_at, id))
        END AS code
    FROM records
) AS numbered WHERE records.id = numbered.id;
INSERT INTO result_code_counters (scope, last_n)
    SELECT 'dossier:' || dossier_code, COUNT(*) FROM records WHERE dossier_code <> '' GROUP BY dossier_code;
INSERT INTO result_code_counters (scope, last_n)
    SELECT 'agency:' || (CASE WHEN agency = '' THEN 'KHOSO' ELSE agency END) || ':' || strftime('%Y', created_at, '+7 hours'), COUNT(*)
    FROM records WHERE dossier_code = '' GROUP BY (CASE WHEN agency = '' THEN 'KHOSO' ELSE agency END), strftime('%Y', created_at, '+7 hours');

CREATE UNIQUE INDEX records_result_code ON records (result_code) WHERE result_code <> '';
CREATE INDEX records_result_type_code ON records (result_type_code);

-- +goose Down
DROP INDEX records_result_type_code;
DROP INDEX records_result_code;
DROP TABLE result_code_counters;
ALTER TABLE records DROP COLUMN result_code;
ALTER TABLE records DROP COLUMN result_type_code;
