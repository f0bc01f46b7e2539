-- One row per province or district, reporting month and indicator (17.1 clean water, 13.3 traceability, ...): the
-- communes that reported it (sheet B02, a result written), those not meeting it, ranked (1 = the hardest indicator
-- there that month), and the same among the communes not yet NTM. Indicators are as reported: the 2021-2025 ones
-- named in dim_indicator where a stored source confirms them (the 47 of 2026-2030 are not transcribed).
with indicators as (
    select indicators.*, coalesce(status.is_ntm, false) as is_ntm
    from {{ ref('fct_commune_indicator') }} as indicators
    left join {{ ref('int_commune_status__derived') }} as status using (commune_code, period_month)
    where indicators.is_met is not null
),

names as (
    select * from {{ ref('dim_indicator') }}
),

sets as (
    select period_month, criteria_set_code from {{ ref('int_periods__criteria_sets') }}
),

gaps as (
    select
        case when grouping(district_code) = 1 then 'province' else 'district' end as geo_level,
        province_code,
        district_code,
        period_month,
        indicator_code,
        any_value(criterion_number) as criterion_number,
        count(*) as communes_reported,
        count_if(not is_met) as communes_not_meeting,
        count_if(not is_ntm) as communes_not_ntm,
        count_if(not is_ntm and not is_met) as communes_not_ntm_not_meeting
    from indicators
    group by grouping sets (
        (province_code, district_code, period_month, indicator_code),
        (province_code, period_month, indicator_code)
    )
    having grouping(district_code) = 1 or district_code is not null  -- no district rows from 07/2025
),

final as (
    select
        gaps.geo_level,
        gaps.province_code,
        gaps.district_code,
        gaps.period_month,
        gaps.indicator_code,
        gaps.criterion_number::integer as criterion_number,
        names.indicator_name_vi,
        names.indicator_name_en,
        gaps.communes_reported::integer as communes_reported,
        gaps.communes_not_meeting::integer as communes_not_meeting,
        {{ pct('gaps.communes_not_meeting', 'gaps.communes_reported', 1) }}::double as share_not_meeting_pct,
        rank() over (
            partition by gaps.geo_level, gaps.province_code, gaps.district_code, gaps.period_month
            order by gaps.communes_not_meeting desc
        )::integer as hardest_rank,
        gaps.communes_not_ntm::integer as communes_not_ntm,
        gaps.communes_not_ntm_not_meeting::integer as communes_not_ntm_not_meeting,
        case when gaps.communes_not_ntm > 0 then rank() over (
            partition by gaps.geo_level, gaps.province_code, gaps.district_code, gaps.period_month
            order by gaps.communes_not_ntm_not_meeting desc
        ) end::integer as hardest_rank_not_ntm
    from gaps
    left join sets on sets.period_month = gaps.period_month
    -- a name is the name of the set's indicator: 13.3 of 2021-2025 names no indicator of a 2014 month
    left join names on names.indicator_code = gaps.indicator_code and names.criteria_set_code = sets.criteria_set_code
)

select * from final
