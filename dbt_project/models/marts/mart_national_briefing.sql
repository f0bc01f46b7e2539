{{ config(materialized='view', tags=['validated_at_publish']) }}
-- One row per reporting month for the central coordination office: every province's published figures summed, in
-- the geography of the month (63 provinces of districts up to 06/2025, 34 provinces of communes from 07/2025;
-- reporting_unit_level says which). Units held back by a critical check are left out, as in the province rows.
with status as (
    select reporting_unit_code, period_month, validation_status
    from {{ ref('int_validation__unit_status') }}
    where reporting_unit_code is not null
),

measures as (
    select measures.*
    from {{ ref('int_unit_months__measures') }} as measures
    left join status using (reporting_unit_code, period_month)
    where coalesce(status.validation_status, 'passed') <> 'failed'
),

provinces as (
    select
        period_month,
        count(*) as provinces_reported,
        count_if(validation_status = 'failed') as provinces_failed,
        sum(units_expected) as units_expected,
        sum(units_reported) as units_reported
    from {{ ref('mart_province_briefing') }}
    group by all
),

sets as (
    select period_month, criteria_set_code, criteria_in_set from {{ ref('int_periods__criteria_sets') }}
),

summed as (
    select
        period_month,
        any_value(reporting_unit_level) as reporting_unit_level,
        {{ sum_measures() }}
    from measures
    group by all
),

final as (
    select
        summed.period_month,
        summed.reporting_unit_level,
        provinces.provinces_reported::integer as provinces_reported,
        provinces.provinces_failed::integer as provinces_failed,
        provinces.units_expected::integer as units_expected,
        provinces.units_reported::integer as units_reported,
        sets.criteria_set_code,
        sets.criteria_in_set::integer as criteria_in_set,
        {{ briefing_figures() }},
        {{ briefing_figures(added=true) }}
    from summed
    inner join provinces using (period_month)
    left join sets on sets.period_month = summed.period_month
)

select * from final
