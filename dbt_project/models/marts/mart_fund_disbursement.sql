-- One row per province or district, fund source, plan year and reporting month: allocated,
-- disbursed and disbursement %, million đồng.
with funds as (
    select * from {{ ref('fct_fund_position') }}
),

sources as (
    select * from {{ ref('dim_fund_source') }}
),

positions as (
    -- Both levels in one pass: the district rows and, with district_code rolled up, the province rows.
    select
        case when grouping(district_code) = 1 then 'province' else 'district' end as geo_level,
        province_code,
        district_code,
        fund_source_code,
        plan_year,
        period_month,
        sum(allocated_mil_vnd) as allocated_mil_vnd,
        sum(disbursed_mil_vnd) as disbursed_mil_vnd
    from funds
    group by grouping sets (
        (province_code, district_code, fund_source_code, plan_year, period_month),
        (province_code, fund_source_code, plan_year, period_month)
    )
    having grouping(district_code) = 1 or district_code is not null  -- no district rows from 07/2025
),

final as (
    select
        positions.geo_level,
        positions.province_code,
        positions.district_code,
        positions.fund_source_code,
        sources.fund_source_name_vi,
        positions.plan_year::integer as plan_year,
        positions.period_month,
        positions.allocated_mil_vnd::decimal(18, 3) as allocated_mil_vnd,
        positions.disbursed_mil_vnd::decimal(18, 3) as disbursed_mil_vnd,
        {{ pct('positions.disbursed_mil_vnd', 'positions.allocated_mil_vnd', 2) }}::double as disbursement_pct
    from positions
    left join sources using (fund_source_code)
)

select * from final
