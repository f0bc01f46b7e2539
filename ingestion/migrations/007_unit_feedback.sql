-- What each reporting unit is told about its month (publishing/feedback.py), one row per problem, in Vietnamese:
-- written by the publish step before every publication (all province-months, replaced whole), read by the view
-- marts.mart_unit_feedback and by the feedback workbooks. The English reasons stay in rejected_rows,
-- received_files.status_reason and validation_results (`source` names which).
create table if not exists audit.unit_feedback (
    province_code VARCHAR NOT NULL,
    period_month DATE NOT NULL,
    reporting_unit_code VARCHAR NOT NULL,
    file_name VARCHAR,
    received_at VARCHAR,
    sheet VARCHAR,
    row_number INTEGER,
    column_name VARCHAR,
    cell VARCHAR,
    value_found VARCHAR,
    problem_vi VARCHAR NOT NULL,
    consequence_vi VARCHAR NOT NULL,
    action_vi VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,  -- rejected_file | rejected_row | held_back | warning
    source VARCHAR,
    uncatalogued BOOLEAN NOT NULL
);
