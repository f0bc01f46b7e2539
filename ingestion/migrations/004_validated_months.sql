-- What each Great Expectations suite last validated, month by month: the rows' fingerprint and the suite's code.
-- A run validates only the months whose rows (or suite) changed since; the others keep their latest results
-- (audit.validation_results), so a run's validation no longer grows with every month loaded before it.
create table if not exists audit.validated_months (
    suite VARCHAR NOT NULL,
    period_month DATE NOT NULL,
    rows_fingerprint VARCHAR NOT NULL,   -- count and hash of the month's rows in the suite's table
    suite_fingerprint VARCHAR NOT NULL,  -- the suite's and the runner's code, Great Expectations' version
    run_id VARCHAR NOT NULL,
    validated_at TIMESTAMP NOT NULL
);
