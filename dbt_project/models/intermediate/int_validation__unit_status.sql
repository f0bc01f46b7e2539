{{ config(materialized='view', tags=['validated_at_publish']) }}
-- One row per district (or province, reporting_unit_code null) and month among the latest results of the
-- validation checks (each month as its last validation left it): the worst outcome.
--
-- A view: it reads the results when it is read, so the publication (after the checks) sees this run's. The refs
-- below name the models the suites validate, so its lineage shows which checks its results come from.
-- depends_on: {{ ref('int_unit_totals__reconciled') }}
-- depends_on: {{ ref('int_commune_totals__reconciled') }}
-- depends_on: {{ ref('int_unit_months__consistency') }}
-- depends_on: {{ ref('int_unit_months__reference') }}
-- depends_on: {{ ref('int_province_months__coverage') }}
-- depends_on: {{ ref('int_unit_months__changes') }}
with latest as (
    select * from {{ ref('int_validation__latest_results') }}
),

final as (
    select
        province_code,
        reporting_unit_code,
        period_month,
        case
            when bool_or(not success and severity = 'critical') then 'failed'
            when bool_or(not success) then 'warning'
            else 'passed'
        end as validation_status,
        count_if(not success) as checks_failed,
        string_agg(check_name, ', ' order by check_name) filter (where not success) as failed_checks
    from latest
    group by all
)

select * from final
