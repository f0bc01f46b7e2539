-- One row per province or district, fund source, plan year and reporting month: allocated,
-- disbursed and disbursement %, million đồng.
with funds as (
    select * from {{ ref('fct_fund_position') }}
),

sources as (
    select * from {{ ref('dim_fund_source') }}
),

by_district as (
    select
        'district' as geo_level,
        province_code,
        district_code,
        fund_source_code,
        plan_year,
        period_month,
        sum(allocated_mil_vnd) as allocated_mil_vnd,
        sum(disbursed_mil_vnd) as disbursed_mil_vnd
    from funds
    group by all
),

by_province as (
    select
        'province' as geo_level,
        province_code,
        null::varchar as district_code,
        fund_source_code,
        plan_year,
        period_month,
        sum(allocated_mil_vnd) as allocated_mil_vnd,
        sum(disbursed_mil_vnd) as disbursed_mil_vnd
    from funds
    group by province_code, fund_source_code, plan_year, period_month
),

positions as (
    select * from by_district
    union all
    select * from by_province
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
