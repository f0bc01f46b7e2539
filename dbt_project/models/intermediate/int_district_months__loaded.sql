-- One row per reporting unit per reporting month that has a loaded (current) workbook: a district (template 2024.1,
-- up to 06/2025) or a commune (template 2026.1, from 07/2025). The grain every *_months model keeps.
with covers as (
    select * from {{ ref('stg_district_workbook__covers') }}
),

final as (
    select
        province_code,
        reporting_unit_code,
        reporting_unit_level,
        district_code,
        commune_code,
        commune_group,
        period_month,
        last_day(period_month) as month_end_date,
        year(period_month) as plan_year,
        file_sha256,
        file_name,
        report_date,
        is_sample
    from covers
)

select * from final
