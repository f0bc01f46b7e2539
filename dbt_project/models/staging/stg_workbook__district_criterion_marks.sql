-- Template 2024.2's B07_Huyen table: one row per criterion of the district set in force (seed criteria_sets,
-- unit_level district).
with source as (
    select * from {{ source('workbook', 'district_criterion_marks') }}
),

final as (
    select
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        criteria_set_code,
        criterion_number,
        is_met,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
