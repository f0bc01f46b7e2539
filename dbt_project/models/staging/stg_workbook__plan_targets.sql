with source as (
    select * from {{ source('workbook', 'plan_targets') }}
),

final as (
    select
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        target_code,
        plan_year,
        planned_value,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
