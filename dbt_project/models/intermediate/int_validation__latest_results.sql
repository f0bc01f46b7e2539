{{ config(materialized='view', tags=['validated_at_publish']) }}
-- The latest result of every validation check: for each suite and month, the rows of the last run that
-- validated that month. A run validates only the months whose rows changed since (audit.validated_months;
-- orchestration/defs/quality/checks.py), so the other months' results stand from an earlier run. What the
-- marts' validation_status is made of, and what the publish copies to the serving database
-- (main.validation_results) for BI readers.
with results as (
    select * from {{ ref('stg_audit__validation_results') }}
),

latest_runs as (
    select suite, period_month, arg_max(run_id, checked_at) as run_id
    from results
    group by all
),

final as (
    select results.*
    from results
    inner join latest_runs using (suite, period_month, run_id)
)

select * from final
