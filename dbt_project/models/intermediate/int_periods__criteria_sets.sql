-- One row per calendar month (dim_period's range) with the criteria set in force for each level it applies to:
-- the one place that says which set a month reports against (seed criteria_sets: a set is in force from its
-- valid_from to its valid_to). Every model that needs the month's set joins this on period_month.
with months as (
    select month_start::date as period_month
    from generate_series(
        date '{{ var("first_reporting_month") }}', date '{{ var("last_reporting_month") }}', interval 1 month
    ) as t (month_start)
),

sets as (
    select * from {{ ref('criteria_sets') }}
),

in_force as (
    select
        months.period_month,
        sets.unit_level,
        sets.set_code,
        sets.criteria_in_set
    from months
    inner join sets
        on months.period_month between sets.valid_from and coalesce(sets.valid_to, date '9999-12-31')
),

final as (
    select
        months.period_month,
        commune.set_code as criteria_set_code,
        commune.criteria_in_set::integer as criteria_in_set,
        advanced.set_code as advanced_criteria_set_code,
        advanced.criteria_in_set::integer as advanced_criteria_in_set,
        district.set_code as district_criteria_set_code,
        district.criteria_in_set::integer as district_criteria_in_set
    from months
    left join in_force as commune
        on commune.period_month = months.period_month and commune.unit_level = 'commune'
    left join in_force as advanced
        on advanced.period_month = months.period_month and advanced.unit_level = 'commune_advanced'
    left join in_force as district
        on district.period_month = months.period_month and district.unit_level = 'district'
)

select * from final
