-- A file whose bytes were received before, sent again (copied into the inbox anew: a path none of its receipts used,
-- or the same path with a newer modification time). It is not received twice; the resend is recorded here so that
-- the unit is told, in its feedback, that nothing changed (publishing/feedback.py).
create table if not exists audit.resent_files (
    file_sha256 VARCHAR NOT NULL,
    file_name VARCHAR,
    inbox_path VARCHAR,
    seen_at TIMESTAMP NOT NULL
);
