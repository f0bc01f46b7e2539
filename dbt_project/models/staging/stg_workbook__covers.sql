with source as (
    select * from {{ source('workbook', 'workbook_covers') }}
),

final as (
    select
        file_sha256,
        file_name,
        province_code,
        district_code,
        reporting_unit_code,
        reporting_unit_level,
        commune_code,
        commune_group,
        period_month,
        report_date,
        prepared_by,
        template_version,
        template_read,
        sheets_read,
        received_at,
        coalesce(is_sample, false) as is_sample
    from source
)

select * from final
