-- What each successful publication was made from, as one fingerprint (orchestration/state.py): the files received
-- and their status, the raw schema, the code and the serving targets. `ntm-ocop run` compares the warehouse's state
-- with the latest row: equal, and the serving file still that publication's, it reads, rebuilds and republishes
-- nothing, and says so.
create table if not exists audit.published_states (
    run_id VARCHAR NOT NULL,
    published_at TIMESTAMP NOT NULL,
    state_fingerprint VARCHAR NOT NULL
);
