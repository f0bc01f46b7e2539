-- One row per district per reporting month: communes the district wrote more than once with
-- different values. Validated by expectations/district_consistency.py (critical: the district's
-- month is held back from the briefing marts).
with months as (
    select * from {{ ref('int_district_months__loaded') }}
),

communes as (
    select * from {{ ref('int_commune_criteria__checked') }}
),

conflicts as (
    select district_code, period_month, count_if(versions_in_month > 1) as communes_with_conflicting_versions
    from communes
    group by all
),

final as (
    select
        months.province_code,
        months.district_code,
        months.period_month,
        coalesce(conflicts.communes_with_conflicting_versions, 0)::integer as communes_with_conflicting_versions,
        0 as allowed_conflicting_versions
    from months
    left join conflicts using (district_code, period_month)
)

select * from final
