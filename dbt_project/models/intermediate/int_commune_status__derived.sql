-- One row per commune per reporting month: criteria met of the month's set, level (levels nest), its band
-- (seed criteria_bands), recognition in the month's year, and whether a recognised commune still meets all
-- the criteria of the set.
with criteria as (
    select * from {{ ref('int_commune_criteria__checked') }}
),

bands as (
    select * from {{ ref('criteria_bands') }}
),

levels as (
    select
        *,
        -- modern (the 2026-2030 set's pilot level) is above NTM, beside advanced: not a kind of advanced
        case level_code when 'ntm' then 1 when 'advanced' then 2 when 'model' then 3 when 'modern' then 2 else 0 end
            as level_rank
    from criteria
),

final as (
    select
        commune_code,
        reporting_unit_code,
        district_code,
        province_code,
        period_month,
        criteria_set_code,
        criteria_in_set,
        criteria_met,
        criteria_met_reported,
        (
            select bands.band_code from bands
            where bands.set_code = levels.criteria_set_code
                and levels.criteria_met between bands.min_criteria and bands.max_criteria
        ) as criteria_band,
        level_code,
        level_rank,
        level_rank >= 1 as is_ntm,
        level_code in ('advanced', 'model') as is_ntm_advanced,
        level_code = 'model' as is_ntm_model,
        level_code = 'modern' as is_ntm_modern,
        year_ntm,
        year_advanced,
        year_model,
        year_modern,
        criteria_reported,
        indicators_met,
        level_rank >= 1 and year_ntm = year(period_month) as is_ntm_new_in_year,
        level_code in ('advanced', 'model') and year_advanced = year(period_month) as is_ntm_advanced_new_in_year,
        level_code = 'model' and year_model = year(period_month) as is_ntm_model_new_in_year,
        level_code = 'modern' and year_modern = year(period_month) as is_ntm_modern_new_in_year,
        case when level_rank >= 1 then criteria_met = criteria_in_set end as is_maintaining,
        maintains_reported,
        file_sha256,
        row_number
    from levels
)

select * from final
