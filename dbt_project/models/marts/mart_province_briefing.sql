{{ config(materialized='view', tags=['validated_at_publish']) }}
-- One row per province per reporting month, in the geography of the month: the figures read out at the briefing
-- meeting. Up to 06/2025 the sums of the province's districts (template 2024.1), from 07/2025 of its communes
-- (template 2026.1). A unit-month that failed a critical check is left out of the sums; the province row then says
-- 'failed' (its figures are those of the other units).
with unit_status as (
    select months.province_code, months.reporting_unit_code, months.period_month, months.reporting_unit_level,
        coalesce(status.validation_status, 'passed') as validation_status,
        months.is_sample
    from {{ ref('int_unit_months__loaded') }} as months
    left join {{ ref('int_validation__unit_status') }} as status using (reporting_unit_code, period_month)
),

sample as (
    select province_code, period_month, bool_or(is_sample) as is_sample_data
    from unit_status
    group by all
),

measures as (
    select measures.*
    from {{ ref('int_unit_months__measures') }} as measures
    inner join unit_status using (reporting_unit_code, period_month)
    where unit_status.validation_status <> 'failed'
),

coverage as (
    -- the units valid in the month (dated units), not today's list
    select province_code, period_month, units_expected, units_reported, districts_expected, is_unit_list_known,
        unit_list_note
    from {{ ref('int_province_months__coverage') }}
),

sets as (
    select period_month, criteria_set_code, criteria_in_set from {{ ref('int_periods__criteria_sets') }}
),

province_checks as (
    select province_code, period_month, validation_status
    from {{ ref('int_validation__unit_status') }}
    where reporting_unit_code is null
),

status as (
    select
        province_code,
        period_month,
        case
            when bool_or(validation_status = 'failed') then 'failed'
            when bool_or(validation_status = 'warning') then 'warning'
            else 'passed'
        end as validation_status
    from (
        select province_code, period_month, validation_status from unit_status
        union all
        select * from province_checks
    )
    group by all
),

reported as (
    select province_code, period_month, any_value(reporting_unit_level) as reporting_unit_level,
        count(*) as units_reported
    from unit_status
    group by all
),

province_months as (
    select
        reported.province_code,
        reported.period_month,
        reported.units_reported,
        reported.reporting_unit_level,
        {{ sum_measures() }}
    from reported
    left join measures using (province_code, period_month)
    group by all
),

final as (
    select
        province_months.province_code,
        province_months.period_month,
        -- districts in the district era; null from 07/2025 (units_expected, units_reported: either era)
        case when province_months.reporting_unit_level = 'district' then coalesce(coverage.districts_expected, 0)
        end::integer as districts_expected,
        case when province_months.reporting_unit_level = 'district' then province_months.units_reported
        end::integer as districts_reported,
        sets.criteria_set_code,
        sets.criteria_in_set::integer as criteria_in_set,
        {{ briefing_figures() }},
        coalesce(status.validation_status, 'passed') as validation_status,
        {{ briefing_figures(added='2026.1') }},
        province_months.reporting_unit_level,
        coalesce(coverage.units_expected, 0)::integer as units_expected,
        -- of the units expected, those that reported (a ward's workbook adds its OCOP and funds, not coverage)
        coalesce(coverage.units_reported, 0)::integer as units_reported,
        coalesce(sample.is_sample_data, false) as is_sample_data,
        {{ briefing_figures(added='2024.2') }},
        {{ briefing_figures(added='2026.12') }},
        -- the month's official list of units is known (false: counted against an assumed list; issue 29)
        coalesce(coverage.is_unit_list_known, true) as is_unit_list_known,
        coverage.unit_list_note
    from province_months
    left join sample using (province_code, period_month)
    left join coverage using (province_code, period_month)
    left join status using (province_code, period_month)
    left join sets on sets.period_month = province_months.period_month
)

select * from final
