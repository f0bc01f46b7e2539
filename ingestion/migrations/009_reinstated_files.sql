-- A workbook the office made current again by hand (`ntm-ocop reinstate`): an earlier version of a unit's month,
-- taken back after a later one was sent by mistake. The file it replaced is superseded; both stay in landing.
create table if not exists audit.reinstated_files (
    file_sha256 VARCHAR NOT NULL,
    replaced_sha256 VARCHAR,
    reason VARCHAR NOT NULL,
    reinstated_at TIMESTAMP NOT NULL
);
