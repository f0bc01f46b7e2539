with source as (
    select * from {{ source('workbook', 'unit_totals') }}
),

final as (
    select
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        source_table,
        indicator_code,
        label_written,
        reported_value,
        file_sha256,
        row_number
    from source
)

select * from final
