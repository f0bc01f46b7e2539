-- One row per commune per reporting month: criteria met, level, and the change since the
-- commune's previous loaded month (criteria gained and lost, by number). The previous month is the same commune's:
-- the same code in the same unit set (a 2025 commune that kept a legacy commune's code is another commune) and the
-- same criteria set (criterion 3 of 2021-2025 is not criterion 3 of 2026-2030); its name is the one valid in the
-- month (dim_admin_unit's version). Across the 2025 reform a commune's first month of the new unit set is compared,
-- restated and labelled so (restated_*), with its predecessors' last legacy month through the crosswalk
-- (bridge_commune_2025): how many of them were NTM, and their legacy names.
with status_rows as (
    select * from {{ ref('fct_commune_status') }}
),

versions as (
    select * from {{ ref('dim_admin_unit') }}
    where unit_level = 'commune'
),

status as (
    select
        status_rows.*,
        versions.unit_key,
        versions.unit_name,
        coalesce(versions.era, 'unlisted') as unit_set
    from status_rows
    left join versions
        on versions.unit_code = status_rows.commune_code
        and last_day(status_rows.period_month) between versions.valid_from and versions.valid_until
),

criteria as (
    select * from {{ ref('fct_commune_criteria') }}
),

communes as (
    select * from {{ ref('dim_commune') }}
),

ordered as (
    select
        *,
        lag(period_month) over same_commune as previous_period_month,
        lag(criteria_met) over same_commune as previous_criteria_met,
        lag(level_code) over same_commune as previous_level_code,
        min(period_month) over (partition by commune_code, unit_set) as first_month_of_unit_set
    from status
    window same_commune as (partition by commune_code, unit_set, criteria_set_code order by period_month)
),

changes as (
    select
        now.commune_code,
        now.period_month,
        string_agg(now.criterion_number::varchar, ', ' order by now.criterion_number)
            filter (where now.is_met and not before.is_met) as criteria_gained,
        string_agg(now.criterion_number::varchar, ', ' order by now.criterion_number)
            filter (where before.is_met and not now.is_met) as criteria_lost,
        count_if(now.is_met and not before.is_met) as criteria_gained_count,
        count_if(before.is_met and not now.is_met) as criteria_lost_count
    from criteria as now
    inner join ordered
        on ordered.commune_code = now.commune_code and ordered.period_month = now.period_month
    inner join criteria as before
        on before.commune_code = now.commune_code
        and before.period_month = ordered.previous_period_month
        and before.criterion_number = now.criterion_number
    group by now.commune_code, now.period_month
),

-- each legacy commune's last loaded month, and its level then
predecessor_last as (
    select commune_code, max(period_month) as period_month, arg_max(level_code, period_month) as level_code
    from status
    where unit_set = 'legacy'
    group by commune_code
),

restated as (
    select
        ordered.commune_code,
        ordered.period_month,
        max(predecessor_last.period_month) as restated_previous_period_month,
        string_agg(bridge.legacy_commune_name || ' (' || bridge.legacy_commune_code || ')', ', '
            order by bridge.legacy_commune_code) as restated_predecessors,
        count(*)::integer as restated_predecessors_count,
        count(predecessor_last.commune_code)::integer as restated_predecessors_reported,
        count_if(predecessor_last.level_code <> 'not_yet')::integer as restated_predecessors_ntm
    from ordered
    inner join {{ ref('bridge_commune_2025') }} as bridge on bridge.commune_code_2025 = ordered.commune_code
    left join predecessor_last on predecessor_last.commune_code = bridge.legacy_commune_code
    where ordered.unit_set = '2025' and ordered.period_month = ordered.first_month_of_unit_set
    group by ordered.commune_code, ordered.period_month
),

final as (
    select
        ordered.commune_code,
        coalesce(ordered.unit_name, communes.commune_name) as commune_name,
        ordered.district_code,
        ordered.province_code,
        ordered.period_month,
        ordered.criteria_met,
        ordered.criteria_band,
        ordered.level_code,
        ordered.is_maintaining,
        ordered.previous_period_month,
        ordered.previous_criteria_met,
        (ordered.criteria_met - ordered.previous_criteria_met)::integer as criteria_met_change,
        changes.criteria_gained,
        changes.criteria_lost,
        changes.criteria_gained_count::integer as criteria_gained_count,
        changes.criteria_lost_count::integer as criteria_lost_count,
        ordered.previous_level_code,
        ordered.previous_level_code is not null
            and ordered.previous_level_code <> ordered.level_code as is_level_changed,
        ordered.unit_key,
        ordered.criteria_set_code,
        restated.restated_previous_period_month,
        restated.restated_predecessors,
        restated.restated_predecessors_count,
        restated.restated_predecessors_reported,
        restated.restated_predecessors_ntm
    from ordered
    left join changes using (commune_code, period_month)
    left join restated using (commune_code, period_month)
    left join communes using (commune_code)
)

select * from final
