-- The builds that made every dbt node reading reference data alone (seeds, the administrative units:
-- orchestration/defs/transform/reference_models.py), each with the fingerprint of what those nodes were made from. A build
-- whose fingerprint is the latest one's leaves them out; deleting the rows makes the next build make them again.
create table if not exists audit.reference_builds (
    fingerprint VARCHAR NOT NULL,
    nodes INTEGER NOT NULL,
    run_id VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL
);
