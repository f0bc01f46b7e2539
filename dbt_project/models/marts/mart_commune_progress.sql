-- One row per commune per reporting month: criteria met, level, and the change since the
-- commune's previous loaded month (criteria gained and lost, by number).
with status as (
    select * from {{ ref('fct_commune_status') }}
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
        lag(period_month) over (partition by commune_code order by period_month) as previous_period_month,
        lag(criteria_met) over (partition by commune_code order by period_month) as previous_criteria_met,
        lag(level_code) over (partition by commune_code order by period_month) as previous_level_code
    from status
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

final as (
    select
        ordered.commune_code,
        communes.commune_name,
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
            and ordered.previous_level_code <> ordered.level_code as is_level_changed
    from ordered
    left join changes using (commune_code, period_month)
    left join communes using (commune_code)
)

select * from final
