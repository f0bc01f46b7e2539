-- Migration 001: the audit schema, as the warehouse had it before versioning (2026-11).
-- Audit tables are the warehouse's history: they are migrated, never rebuilt. Never edit a
-- migration that has shipped: add the next number (ingestion/schema.py applies them in order).
create schema if not exists audit;

create table if not exists audit.received_files (
    file_sha256 VARCHAR PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    inbox_path VARCHAR,
    size_bytes BIGINT,
    received_at TIMESTAMP NOT NULL,
    landed_path VARCHAR NOT NULL,
    province_code VARCHAR,
    district_code VARCHAR,
    period_month DATE,
    report_date DATE,
    status VARCHAR NOT NULL,  -- received | loaded | superseded | rejected
    status_reason VARCHAR,
    rows_loaded INTEGER,
    rows_rejected INTEGER,
    notes VARCHAR
);

create table if not exists audit.rejected_files (
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL,
    reason VARCHAR NOT NULL
);

create table if not exists audit.rejected_rows (
    file_sha256 VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sheet VARCHAR NOT NULL,
    row_number INTEGER,
    column_name VARCHAR,
    value VARCHAR,
    reason VARCHAR NOT NULL
);

create table if not exists audit.validation_results (
    run_id VARCHAR NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    suite VARCHAR NOT NULL,
    check_name VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,  -- warning | critical
    success BOOLEAN NOT NULL,
    province_code VARCHAR,
    district_code VARCHAR,
    period_month DATE,
    observed VARCHAR,
    expected VARCHAR,
    details VARCHAR
);
