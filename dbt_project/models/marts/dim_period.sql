-- One row per calendar month the warehouse can hold: vars first_reporting_month to last_reporting_month
-- (dbt_project.yml; 01/2010, the reader's first month, to 12/2035).
with months as (
    select cast(month_start as date) as period_month
    from generate_series(
        date '{{ var("first_reporting_month") }}', date '{{ var("last_reporting_month") }}', interval 1 month
    ) as t(month_start)
),

final as (
    select
        period_month,
        last_day(period_month) as period_end_date,
        year(period_month)::integer as period_year,
        quarter(period_month)::integer as period_quarter,
        month(period_month)::integer as period_month_number,
        year(period_month)::integer as plan_year,
        strftime(period_month, '%m/%Y') as period_label
    from months
)

select * from final
