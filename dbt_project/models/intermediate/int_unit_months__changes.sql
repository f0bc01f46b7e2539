-- One row per district per month against the district's previous loaded month: communes whose
-- level went down, the OCOP product count, and fund lines (source × plan year) whose cumulative
-- disbursement went down. Validated by expectations/plausibility.py (warnings: something may be
-- a typing error, or a real event the office should hear about).
with months as (
    select
        province_code,
        reporting_unit_code,
        district_code,
        period_month,
        lag(period_month) over (partition by reporting_unit_code order by period_month) as previous_month
    from {{ ref('int_unit_months__loaded') }}
),

status as (
    select status.reporting_unit_code, status.period_month, status.commune_code, status.level_rank, status.level_code,
        criteria.commune_name_written
    from {{ ref('int_commune_status__derived') }} as status
    inner join {{ ref('int_commune_criteria__checked') }} as criteria using (commune_code, period_month)
),

lost_levels as (
    select
        months.reporting_unit_code,
        months.period_month,
        count(*) as communes_losing_level,
        string_agg(
            now.commune_code || ' ' || coalesce(now.commune_name_written, '') || ': '
            || previous.level_code || ' → ' || now.level_code, ', ' order by now.commune_code
        ) as communes_losing_level_named
    from months
    inner join status as now using (reporting_unit_code, period_month)
    inner join status as previous
        on now.commune_code = previous.commune_code
        and months.previous_month = previous.period_month
    where now.level_rank < previous.level_rank
    group by all
),

products as (
    select reporting_unit_code, period_month, ocop_products
    from {{ ref('int_unit_months__measures') }}
),

fund_lines as (
    select reporting_unit_code, period_month, fund_source_code, plan_year, sum(disbursed_mil_vnd) as disbursed_mil_vnd
    from {{ ref('stg_workbook__fund_positions') }}
    group by all
),

disbursement_down as (
    select
        months.reporting_unit_code,
        months.period_month,
        count(*) as fund_lines_disbursement_down,
        string_agg(
            now.fund_source_code || ' ' || now.plan_year || ': ' || previous.disbursed_mil_vnd
            || ' → ' || now.disbursed_mil_vnd, ', ' order by now.fund_source_code, now.plan_year
        ) as fund_lines_disbursement_down_named
    from months
    inner join fund_lines as now using (reporting_unit_code, period_month)
    inner join fund_lines as previous
        on now.reporting_unit_code = previous.reporting_unit_code
        and months.previous_month = previous.period_month
        and now.fund_source_code = previous.fund_source_code
        and now.plan_year = previous.plan_year
    where now.disbursed_mil_vnd < previous.disbursed_mil_vnd
    group by all
),

final as (
    select
        months.province_code,
        months.reporting_unit_code,
        months.district_code,
        months.period_month,
        months.previous_month,
        coalesce(lost_levels.communes_losing_level, 0)::integer as communes_losing_level,
        lost_levels.communes_losing_level_named,
        previous_products.ocop_products::integer as ocop_products_previous,
        now_products.ocop_products::integer as ocop_products,
        coalesce(now_products.ocop_products < 0.9 * previous_products.ocop_products, false)::integer
            as ocop_products_fell_over_10_pct,
        case when now_products.ocop_products < 0.9 * previous_products.ocop_products
            then previous_products.ocop_products || ' → ' || now_products.ocop_products
        end as ocop_products_change,
        coalesce(disbursement_down.fund_lines_disbursement_down, 0)::integer as fund_lines_disbursement_down,
        disbursement_down.fund_lines_disbursement_down_named,
        0 as allowed  -- every count above must be 0
    from months
    left join lost_levels using (reporting_unit_code, period_month)
    left join products as now_products using (reporting_unit_code, period_month)
    left join products as previous_products
        on months.reporting_unit_code = previous_products.reporting_unit_code
        and months.previous_month = previous_products.period_month
    left join disbursement_down using (reporting_unit_code, period_month)
)

select * from final
