-- One row per district per plan target per plan year: the year's plan as stated in the latest
-- workbook of that year (each month's workbook restates it in sheet B06).
with targets as (
    select * from {{ ref('stg_workbook__plan_targets') }}
),

latest as (
    select
        *,
        row_number() over (partition by reporting_unit_code, target_code, plan_year order by period_month desc) as recency
    from targets
),

final as (
    select
        district_code,
        target_code,
        plan_year,
        province_code,
        planned_value,
        period_month as stated_in_month,
        file_sha256,
        row_number,
        reporting_unit_code
    from latest
    where recency = 1
)

select * from final
