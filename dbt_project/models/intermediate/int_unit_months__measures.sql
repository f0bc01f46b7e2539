-- One row per reporting unit per month (a district up to 06/2025, a commune from 07/2025): the additive figures
-- the briefing marts are built from (counts and sums, never ratios, so a province is the sum of its units).
with months as (
    select * from {{ ref('int_unit_months__loaded') }}
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
    -- Villages recognised by the end of the month's year; a model village is also an NTM village. Template 2024.2's
    -- model residential areas and mountain NTM villages are counted on their own (they do not nest).
    select
        reporting_unit_code,
        period_month,
        count(*) filter (
            where level_code in ('ntm', 'model') and (year_recognised is null or year_recognised <= year(period_month))
        ) as villages_ntm,
        count(*) filter (
            where level_code = 'model' and (year_recognised is null or year_recognised <= year(period_month))
        ) as villages_model,
        count(*) filter (
            where level_code = 'model_residential_area'
                and (year_recognised is null or year_recognised <= year(period_month))
        ) as model_residential_areas,
        count(*) filter (
            where level_code = 'mountain_ntm' and (year_recognised is null or year_recognised <= year(period_month))
        ) as villages_mountain_ntm
    from {{ ref('stg_workbook__villages') }}
    group by all
),

district_status as (
    -- Template 2024.2's B07_Huyen: the district itself (towns and cities "complete the task")
    select
        reporting_unit_code,
        period_month,
        count_if(is_recognised) as districts_ntm,
        count_if(is_recognised and maintains_reported = false) as districts_not_maintaining,
        count_if(dossier_status = 'under_appraisal') as districts_under_appraisal
    from {{ ref('stg_workbook__district_status') }}
    group by all
),

dossiers as (
    -- Template 2024.2's B08_OCOP_DanhGia: the year's dossiers as the month's workbook lists them
    select
        reporting_unit_code,
        period_month,
        count(*) as ocop_dossiers,
        count_if(dossier_type = 'new') as ocop_dossiers_new,
        count_if(dossier_type = 'reevaluation') as ocop_dossiers_reevaluated,
        count(distinct producer_id) as ocop_producers_in_dossiers,
        count_if(is_evaluated) as ocop_evaluated,
        count_if(stage_code = 'failed') as ocop_dossiers_failed
    from {{ ref('int_ocop_dossiers__identified') }}
    group by all
),

advanced as (
    -- Template 2024.2's B01N_TieuChiNangCao: each commune's criteria of the advanced set met, and whether a commune
    -- recognised advanced (or model) still meets all of them (as "not maintaining" is read from B01)
    select
        marks.reporting_unit_code,
        marks.period_month,
        count(*) as communes_in_advanced_set,
        sum(marks.criteria_met) as advanced_criteria_met_sum,
        count_if(marks.criteria_met = sets.criteria_in_set) as communes_advanced_all_criteria,
        count_if(coalesce(status.is_ntm_advanced, false) and marks.criteria_met < sets.criteria_in_set)
            as communes_advanced_not_maintaining
    from (
        select reporting_unit_code, period_month, commune_code, criteria_set_code, count_if(is_met) as criteria_met
        from {{ ref('stg_workbook__advanced_criterion_marks') }}
        group by all
    ) as marks
    left join {{ ref('criteria_sets') }} as sets on sets.set_code = marks.criteria_set_code
    left join {{ ref('int_commune_status__derived') }} as status using (commune_code, period_month)
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
        sum(planned_value) filter (where target_code = 'SP_OCOP') as plan_ocop,
        sum(planned_value) filter (where target_code = 'SP_OCOP_4SAO') as plan_ocop_4_star,
        sum(planned_value) filter (where target_code = 'SP_OCOP_5SAO') as plan_ocop_5_star,
        sum(planned_value) filter (where target_code = 'KDC_KIEU_MAU') as plan_model_residential_areas,
        sum(planned_value) filter (where target_code = 'HUYEN_NTM') as plan_districts_ntm
    from {{ ref('stg_workbook__plan_targets') }} as targets
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
    from {{ ref('stg_workbook__fund_positions') }} as positions
    left join {{ ref('fund_sources') }} as sources using (fund_source_code)
    where positions.plan_year = year(positions.period_month)
    group by all
),

applicable as (
    -- Which of the columns of a criteria set's bands and levels the month's set has: a column the set does not have
    -- is null (not applicable), never 0, so a chart over months shows a gap, not a fall (docs/marts.md). The 19-
    -- criteria bands belong to the sets of 2010-2025; "nâng cao" and "kiểu mẫu" to 2016-2025; "hiện đại" to
    -- 2026-2030 (seeds criteria_bands, set_levels).
    select
        periods.period_month,
        coalesce(list_contains(bands.codes, '19'), false) as has_19_criteria_bands,
        coalesce(list_contains(levels.codes, 'advanced'), false) as has_advanced,
        coalesce(list_contains(levels.codes, 'model'), false) as has_model,
        coalesce(list_contains(levels.codes, 'modern'), false) as has_modern
    from {{ ref('int_periods__criteria_sets') }} as periods
    left join (
        select set_code, list(band_code) as codes from {{ ref('criteria_bands') }} group by set_code
    ) as bands on bands.set_code = periods.criteria_set_code
    left join (
        select set_code, list(level_code) as codes from {{ ref('set_levels') }} group by set_code
    ) as levels on levels.set_code = periods.criteria_set_code
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
        case when applicable.has_advanced then coalesce(communes.communes_ntm_advanced, 0) end as communes_ntm_advanced,
        case when applicable.has_model then coalesce(communes.communes_ntm_model, 0) end as communes_ntm_model,
        coalesce(communes.communes_ntm_new_in_year, 0) as communes_ntm_new_in_year,
        case when applicable.has_advanced then coalesce(communes.communes_ntm_advanced_new_in_year, 0) end as communes_ntm_advanced_new_in_year,
        case when applicable.has_model then coalesce(communes.communes_ntm_model_new_in_year, 0) end as communes_ntm_model_new_in_year,
        case when applicable.has_modern then coalesce(communes.communes_ntm_modern, 0) end as communes_ntm_modern,
        case when applicable.has_modern then coalesce(communes.communes_ntm_modern_new_in_year, 0) end as communes_ntm_modern_new_in_year,
        communes.indicators_met_sum,
        case when applicable.has_modern then plans.plan_communes_ntm_modern end as plan_communes_ntm_modern,
        plans.plan_communes_ntm,
        case when applicable.has_advanced then plans.plan_communes_ntm_advanced end as plan_communes_ntm_advanced,
        case when applicable.has_model then plans.plan_communes_ntm_model end as plan_communes_ntm_model,
        coalesce(communes.criteria_met_sum, 0) as criteria_met_sum,
        case when applicable.has_19_criteria_bands then coalesce(communes.communes_19_criteria, 0) end as communes_19_criteria,
        case when applicable.has_19_criteria_bands then coalesce(communes.communes_15_18_criteria, 0) end as communes_15_18_criteria,
        case when applicable.has_19_criteria_bands then coalesce(communes.communes_10_14_criteria, 0) end as communes_10_14_criteria,
        case when applicable.has_19_criteria_bands then coalesce(communes.communes_5_9_criteria, 0) end as communes_5_9_criteria,
        case when applicable.has_19_criteria_bands then coalesce(communes.communes_under_5_criteria, 0) end as communes_under_5_criteria,
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
        funds.fund_budget_disbursed_mil_vnd,
        -- template 2024.2: null when the workbook lacks the sheet (not reported), zero when the sheet is empty
        case when months.has_district_status then coalesce(district_status.districts_ntm, 0) end as districts_ntm,
        case when months.has_district_status then coalesce(district_status.districts_not_maintaining, 0) end
            as districts_not_maintaining,
        case when months.has_district_status then coalesce(district_status.districts_under_appraisal, 0) end
            as districts_under_appraisal,
        plans.plan_districts_ntm,
        case when months.has_ocop_dossiers then coalesce(dossiers.ocop_dossiers, 0) end as ocop_dossiers,
        case when months.has_ocop_dossiers then coalesce(dossiers.ocop_dossiers_new, 0) end as ocop_dossiers_new,
        case when months.has_ocop_dossiers then coalesce(dossiers.ocop_dossiers_reevaluated, 0) end
            as ocop_dossiers_reevaluated,
        case when months.has_ocop_dossiers then coalesce(dossiers.ocop_producers_in_dossiers, 0) end
            as ocop_producers_in_dossiers,
        case when months.has_ocop_dossiers then coalesce(dossiers.ocop_evaluated, 0) end as ocop_evaluated,
        case when months.has_ocop_dossiers then coalesce(dossiers.ocop_dossiers_failed, 0) end as ocop_dossiers_failed,
        plans.plan_ocop_4_star,
        plans.plan_ocop_5_star,
        case when months.has_advanced_criteria then coalesce(advanced.communes_in_advanced_set, 0) end
            as communes_in_advanced_set,
        case when months.has_advanced_criteria then coalesce(advanced.advanced_criteria_met_sum, 0) end
            as advanced_criteria_met_sum,
        case when months.has_advanced_criteria then coalesce(advanced.communes_advanced_all_criteria, 0) end
            as communes_advanced_all_criteria,
        case when months.has_advanced_criteria then coalesce(advanced.communes_advanced_not_maintaining, 0) end
            as communes_advanced_not_maintaining,
        case when months.has_village_kinds_2024_2 then coalesce(villages.model_residential_areas, 0) end
            as model_residential_areas,
        plans.plan_model_residential_areas,
        case when months.has_village_kinds_2024_2 then coalesce(villages.villages_mountain_ntm, 0) end
            as villages_mountain_ntm
    from months
    left join communes using (reporting_unit_code, period_month)
    left join villages using (reporting_unit_code, period_month)
    left join products using (reporting_unit_code, period_month)
    left join plans using (reporting_unit_code, period_month)
    left join funds using (reporting_unit_code, period_month)
    left join district_status using (reporting_unit_code, period_month)
    left join dossiers using (reporting_unit_code, period_month)
    left join advanced using (reporting_unit_code, period_month)
    left join applicable using (period_month)
)

select * from final
