-- One row per province or district, reporting month and criterion: the communes not meeting it
-- and their share, ranked (1 = the hardest criterion there that month); and the same among the communes not yet
-- NTM (what "the communes building NTM find hardest" reads: Thanh Hóa 2023).
with criteria as (
    select criteria.*, coalesce(status.is_ntm, false) as is_ntm
    from {{ ref('fct_commune_criteria') }} as criteria
    left join {{ ref('int_commune_status__derived') }} as status using (commune_code, period_month)
),

names as (
    -- the criterion's name in the set of the month (19 criteria of 2021-2025, 10 of 2026-2030, ...)
    select * from {{ ref('dim_set_criterion') }}
),

gaps as (
    -- Both levels in one pass: the district rows and, with district_code rolled up, the province rows.
    select
        case when grouping(district_code) = 1 then 'province' else 'district' end as geo_level,
        province_code,
        district_code,
        period_month,
        criteria_set_code,
        criterion_number,
        count(*) as communes_total,
        count_if(not is_met) as communes_not_meeting,
        count_if(not is_ntm) as communes_not_ntm,
        count_if(not is_ntm and not is_met) as communes_not_ntm_not_meeting
    from criteria
    group by grouping sets (
        (province_code, district_code, period_month, criteria_set_code, criterion_number),
        (province_code, period_month, criteria_set_code, criterion_number)
    )
    having grouping(district_code) = 1 or district_code is not null  -- no district rows from 07/2025
),

final as (
    select
        gaps.geo_level,
        gaps.province_code,
        gaps.district_code,
        gaps.period_month,
        gaps.criterion_number,
        names.criterion_name_vi,
        names.criterion_name_en,
        gaps.communes_total::integer as communes_total,
        gaps.communes_not_meeting::integer as communes_not_meeting,
        {{ pct('gaps.communes_not_meeting', 'gaps.communes_total', 1) }}::double as share_not_meeting_pct,
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
    left join names using (criteria_set_code, criterion_number)
)

select * from final
