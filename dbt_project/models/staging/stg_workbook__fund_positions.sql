with source as (
    select * from {{ source('workbook', 'fund_positions') }}
),

final as (
    select
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        fund_source_code,
        plan_year,
        allocated_mil_vnd::decimal(18, 3) as allocated_mil_vnd,
        disbursed_mil_vnd::decimal(18, 3) as disbursed_mil_vnd,
        disbursement_pct_reported,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
