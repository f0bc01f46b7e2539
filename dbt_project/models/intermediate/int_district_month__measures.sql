-- One row per reporting unit per month (a district up to 06/2025, a commune from 07/2025): the additive figures
-- the briefing marts are built from (counts and sums, never ratios, so a province is the sum of its units).
with months as (
    select * from {{ ref('int_district_months__loaded') }}
),

communes as (
    select
        reporting_unit_code,
        period_month,
        count(*) as communes_total,
        count_if(is_ntm) as communes_ntm,
        count_if(is_ntm_advanced) as communes_ntm_advanced,
        count_if(is_ntm_model) as communes_ntm_model,
        count_if(is_ntm_new_in_year) as communes_ntm_new_in_year,
        count_if(is_ntm_advanced_new_in_year) as communes_ntm_advanced_new_in_year,
        count_if(is_ntm_model_new_in_year) as communes_ntm_model_new_in_year,
        count_if(is_ntm_modern) as communes_ntm_modern,
        count_if(is_ntm_modern_new_in_year) as communes_ntm_modern_new_in_year,
        sum(indicators_met) as indicators_met_sum,
        sum(criteria_met) as criteria_met_sum,
        count_if(criteria_band = '19') as communes_19_criteria,
        count_if(criteria_band = '15-18') as communes_15_18_criteria,
        count_if(criteria_band = '10-14') as communes_10_14_criteria,
        count_if(criteria_band = '5-9') as communes_5_9_criteria,
        count_if(criteria_band = 'under 5') as communes_under_5_criteria,
        count_if(criteria_met = criteria_in_set) as communes_all_criteria,
        count_if(is_ntm and not is_maintaining) as communes_not_maintaining
    from {{ ref('int_commune_status__derived') }}
    group by all
),

villages as (
    -- Villages recognised by the end of the month's year; a model village is also an NTM village.
    select
        reporting_unit_code,
        period_month,
        count(*) filter (where year_recognised is null or year_recognised <= year(period_month)) as villages_ntm,
        count(*) filter (
            where level_code = 'model' and (year_recognised is null or year_recognised <= year(period_month))
        ) as villages_model
    from {{ ref('stg_district_workbook__villages') }}
    group by all
),

products as (
    select
        reporting_unit_code,
        period_month,
        count_if(is_valid) as ocop_products,
        count_if(is_valid and current_stars = 3) as ocop_3_star,
        count_if(is_valid and current_stars = 4) as ocop_4_star,
        count_if(is_valid and current_stars = 5) as ocop_5_star,
        count_if(is_new_in_year) as ocop_new_in_year,
        count_if(is_expired_not_recertified) as ocop_expired_not_recertified,
        count_if(is_exported) as ocop_exported,
        count_if(is_valid and current_issuing_level = 'district') as ocop_district_level,
        count_if(is_valid and current_issuing_level = 'province') as ocop_province_level,
        count_if(is_valid and current_issuing_level = 'central') as ocop_central_level
    from {{ ref('int_ocop_products__as_of_month') }}
    group by all
),

plans as (
    select
        targets.reporting_unit_code,
        targets.period_month,
        sum(planned_value) filter (where target_code = 'XA_NTM') as plan_communes_ntm,
        sum(planned_value) filter (where target_code = 'XA_NTM_NANG_CAO') as plan_communes_ntm_advanced,
        sum(planned_value) filter (where target_code = 'XA_NTM_KIEU_MAU') as plan_communes_ntm_model,
        sum(planned_value) filter (where target_code = 'XA_NTM_HIEN_DAI') as plan_communes_ntm_modern,
        sum(planned_value) filter (where target_code = 'SP_OCOP') as plan_ocop
    from {{ ref('stg_district_workbook__plan_targets') }} as targets
    where targets.plan_year = year(targets.period_month)
    group by all
),

funds as (
    -- Funds of the plan year of the reporting month: all sources, and the state budget ones (seed fund_sources).
    select
        positions.reporting_unit_code,
        positions.period_month,
        sum(positions.allocated_mil_vnd) as fund_allocated_mil_vnd,
        sum(positions.disbursed_mil_vnd) as fund_disbursed_mil_vnd,
        sum(positions.allocated_mil_vnd) filter (where sources.is_state_budget) as fund_budget_allocated_mil_vnd,
        sum(positions.disbursed_mil_vnd) filter (where sources.is_state_budget) as fund_budget_disbursed_mil_vnd
    from {{ ref('stg_district_workbook__fund_positions') }} as positions
    left join {{ ref('fund_sources') }} as sources using (fund_source_code)
    where positions.plan_year = year(positions.period_month)
    group by all
),

final as (
    select
        months.province_code,
        months.reporting_unit_code,
        months.reporting_unit_level,
        months.district_code,
        months.period_month,
        -- the commune group of a reporting commune (template 2026.1's Nhóm xã), one count per group
        (months.commune_group = 1)::integer as communes_group_1,
        (months.commune_group = 2)::integer as communes_group_2,
        (months.commune_group = 3)::integer as communes_group_3,
        coalesce(communes.communes_total, 0) as communes_total,
        coalesce(communes.communes_ntm, 0) as communes_ntm,
        coalesce(communes.communes_ntm_advanced, 0) as communes_ntm_advanced,
        coalesce(communes.communes_ntm_model, 0) as communes_ntm_model,
        coalesce(communes.communes_ntm_new_in_year, 0) as communes_ntm_new_in_year,
        coalesce(communes.communes_ntm_advanced_new_in_year, 0) as communes_ntm_advanced_new_in_year,
        coalesce(communes.communes_ntm_model_new_in_year, 0) as communes_ntm_model_new_in_year,
        coalesce(communes.communes_ntm_modern, 0) as communes_ntm_modern,
        coalesce(communes.communes_ntm_modern_new_in_year, 0) as communes_ntm_modern_new_in_year,
        communes.indicators_met_sum,
        plans.plan_communes_ntm_modern,
        plans.plan_communes_ntm,
        plans.plan_communes_ntm_advanced,
        plans.plan_communes_ntm_model,
        coalesce(communes.criteria_met_sum, 0) as criteria_met_sum,
        coalesce(communes.communes_19_criteria, 0) as communes_19_criteria,
        coalesce(communes.communes_15_18_criteria, 0) as communes_15_18_criteria,
        coalesce(communes.communes_10_14_criteria, 0) as communes_10_14_criteria,
        coalesce(communes.communes_5_9_criteria, 0) as communes_5_9_criteria,
        coalesce(communes.communes_under_5_criteria, 0) as communes_under_5_criteria,
        coalesce(communes.communes_all_criteria, 0) as communes_all_criteria,
        coalesce(communes.communes_not_maintaining, 0) as communes_not_maintaining,
        coalesce(villages.villages_ntm, 0) as villages_ntm,
        coalesce(villages.villages_model, 0) as villages_model,
        coalesce(products.ocop_products, 0) as ocop_products,
        coalesce(products.ocop_3_star, 0) as ocop_3_star,
        coalesce(products.ocop_4_star, 0) as ocop_4_star,
        coalesce(products.ocop_5_star, 0) as ocop_5_star,
        coalesce(products.ocop_new_in_year, 0) as ocop_new_in_year,
        plans.plan_ocop,
        coalesce(products.ocop_expired_not_recertified, 0) as ocop_expired_not_recertified,
        coalesce(products.ocop_exported, 0) as ocop_exported,
        -- who certified: a column of template 2026.1 only (null for a district's workbook: not collected)
        case when months.reporting_unit_level = 'commune' then coalesce(products.ocop_district_level, 0) end
            as ocop_district_level,
        case when months.reporting_unit_level = 'commune' then coalesce(products.ocop_province_level, 0) end
            as ocop_province_level,
        case when months.reporting_unit_level = 'commune' then coalesce(products.ocop_central_level, 0) end
            as ocop_central_level,
        funds.fund_allocated_mil_vnd,
        funds.fund_disbursed_mil_vnd,
        funds.fund_budget_allocated_mil_vnd,
        funds.fund_budget_disbursed_mil_vnd
    from months
    left join communes using (reporting_unit_code, period_month)
    left join villages using (reporting_unit_code, period_month)
    left join products using (reporting_unit_code, period_month)
    left join plans using (reporting_unit_code, period_month)
    left join funds using (reporting_unit_code, period_month)
)

select * from final
