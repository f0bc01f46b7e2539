-- One row per calendar month from January 2015 to December 2030 (the reporting months).
with months as (
    select cast(month_start as date) as period_month
    from generate_series(date '2015-01-01', date '2030-12-01', interval 1 month) as t(month_start)
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
