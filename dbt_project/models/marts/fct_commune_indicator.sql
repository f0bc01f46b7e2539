-- One row per commune per indicator per reporting month (sheet B02).
with indicators as (
    select * from {{ ref('stg_workbook__commune_indicators') }}
),

final as (
    select
        commune_code,
        indicator_code,
        period_month,
        criterion_number,
        district_code,
        province_code,
        value_number,
        value_text,
        unit,
        is_met,
        file_sha256,
        row_number
    from indicators
)

select * from final
