-- One row per calendar month the warehouse can hold: vars first_reporting_month to last_reporting_month
-- (dbt_project.yml; 01/2010, the reader's first month, to 12/2035), with the criteria sets in force.
with months as (
    select * from {{ ref('int_periods__criteria_sets') }}
),

final as (
    select
        period_month,
        last_day(period_month) as period_end_date,
        year(period_month)::integer as period_year,
        quarter(period_month)::integer as period_quarter,
        month(period_month)::integer as period_month_number,
        year(period_month)::integer as plan_year,
        strftime(period_month, '%m/%Y') as period_label,
        criteria_set_code,
        criteria_in_set,
        advanced_criteria_set_code,
        district_criteria_set_code
    from months
)

select * from final
