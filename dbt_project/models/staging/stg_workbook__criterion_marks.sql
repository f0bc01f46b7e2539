-- One row per commune x criterion as marked: B01's numbered columns unpivoted (template 2024.1), or C01's rows
-- (template 2026.1, with the indicators met of the criterion). commune_row_number: the commune's row in
-- commune_criteria.
select
    commune_code,
    criterion_number,
    is_met,
    indicators_met,
    indicators_total,
    commune_row_number,
    district_code,
    reporting_unit_code,
    province_code,
    period_month,
    file_sha256,
    sheet,
    row_number
from {{ source('workbook', 'commune_criterion_marks') }}
