with source as (
    select * from {{ source('workbook', 'commune_indicators') }}
),

final as (
    select
        commune_code,
        indicator_code,
        (split_part(indicator_code, '.', 1))::integer as criterion_number,
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        value_number,
        value_text,
        unit,
        is_met,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
