-- One row per commune row of sheet B01, or per commune workbook's C01 status rows: what the workbook said, typed.
-- The criteria counted against the month's set are int_commune_criteria__counted.
with source as (
    select * from {{ source('workbook', 'commune_criteria') }}
),

final as (
    select
        commune_code,
        commune_name_written,
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        criteria_met_reported,
        level_code,
        year_ntm,
        year_advanced,
        year_model,
        year_modern,
        decision_number,
        maintains_reported,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
