-- One row per district per fund source per plan year per reporting month (sheet B05), million đồng.
with funds as (
    select * from {{ ref('stg_workbook__fund_positions') }}
),

final as (
    select
        district_code,
        fund_source_code,
        plan_year,
        period_month,
        province_code,
        allocated_mil_vnd,
        disbursed_mil_vnd,
        {{ pct('disbursed_mil_vnd', 'allocated_mil_vnd', 2) }}::double as disbursement_pct,
        disbursement_pct_reported,
        disbursed_mil_vnd > allocated_mil_vnd as is_over_disbursed,
        file_sha256,
        row_number,
        reporting_unit_code
    from funds
)

select * from final
