-- One row per reporting unit per reporting month that has a loaded (current) workbook: a district (template 2024.1,
-- up to 06/2025) or a commune (template 2026.1, from 07/2025). The grain every *_months model keeps.
with covers as (
    select * from {{ ref('stg_workbook__covers') }}
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
        is_sample,
        template_read,
        -- which optional sheets the workbook had (template 2024.2's, and B03 read with its new levels): a figure
        -- from a sheet the workbook lacks is "not reported" (null), never zero
        list_contains(string_split(coalesce(sheets_read, ''), ','), 'b07') as has_district_status,
        list_contains(string_split(coalesce(sheets_read, ''), ','), 'b08') as has_ocop_dossiers,
        list_contains(string_split(coalesce(sheets_read, ''), ','), 'b01n') as has_advanced_criteria,
        template_read = '2024.2' and list_contains(string_split(coalesce(sheets_read, ''), ','), 'b03')
            as has_village_kinds_2024_2
    from covers
)

select * from final
