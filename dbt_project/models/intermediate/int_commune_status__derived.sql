-- One row per commune per reporting month: criteria met, level (levels nest), banding,
-- recognition in the month's year, and whether a recognised commune still meets all 19.
with criteria as (
    select * from {{ ref('int_commune_criteria__checked') }}
),

levels as (
    select
        *,
        case level_code when 'ntm' then 1 when 'advanced' then 2 when 'model' then 3 else 0 end as level_rank
    from criteria
),

final as (
    select
        commune_code,
        district_code,
        province_code,
        period_month,
        criteria_met,
        criteria_met_reported,
        {{ criteria_band('criteria_met') }} as criteria_band,
        level_code,
        level_rank,
        level_rank >= 1 as is_ntm,
        level_rank >= 2 as is_ntm_advanced,
        level_rank >= 3 as is_ntm_model,
        year_ntm,
        year_advanced,
        year_model,
        level_rank >= 1 and year_ntm = year(period_month) as is_ntm_new_in_year,
        level_rank >= 2 and year_advanced = year(period_month) as is_ntm_advanced_new_in_year,
        level_rank >= 3 and year_model = year(period_month) as is_ntm_model_new_in_year,
        case when level_rank >= 1 then criteria_met = 19 end as is_maintaining,
        maintains_reported,
        file_sha256,
        row_number
    from levels
)

select * from final
