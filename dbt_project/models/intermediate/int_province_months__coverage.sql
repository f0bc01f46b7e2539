-- One row per province per month with any district workbook loaded: the districts valid in that month
-- (on its last day) that had rural communes then (so report on NTM), how many reported, and the ones
-- that have not, named. Validated by expectations/coverage.py (a warning on the province's row).
with loaded as (
    select * from {{ ref('int_district_months__loaded') }}
),

versions as (
    select * from {{ ref('stg_admin_units__versions') }}
),

province_months as (
    select distinct province_code, period_month
    from loaded
),

expected as (
    select
        province_months.province_code,
        province_months.period_month,
        districts.unit_code as district_code,
        any_value(districts.unit_name) as district_name
    from province_months
    inner join versions as districts
        on districts.unit_level = 'district'
        and districts.parent_code = province_months.province_code
        and last_day(province_months.period_month) between districts.valid_from and districts.valid_until
    inner join versions as communes
        on communes.unit_level = 'commune'
        and communes.unit_type = 'Xã'
        and communes.parent_code = districts.unit_code
        and last_day(province_months.period_month) between communes.valid_from and communes.valid_until
    group by all
),

final as (
    select
        province_months.province_code,
        null::varchar as district_code,
        province_months.period_month,
        count(*)::integer as districts_expected,
        count(loaded.district_code)::integer as districts_reported,
        string_agg(expected.district_name || ' (' || expected.district_code || ')', ', '
            order by expected.district_code) filter (where loaded.district_code is null) as districts_missing
    from province_months
    inner join expected using (province_code, period_month)
    left join loaded
        on expected.district_code = loaded.district_code
        and province_months.period_month = loaded.period_month
    group by all
)

select * from final
