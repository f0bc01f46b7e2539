-- One row per province per month with any district workbook loaded: the districts of the
-- official list that have rural communes (so report on NTM), how many reported, and the ones
-- that have not, named. Validated by expectations/coverage.py (a warning on the province's row).
with loaded as (
    select * from {{ ref('int_district_months__loaded') }}
),

expected as (
    select province_code, district_code, any_value(district_name) as district_name
    from {{ ref('stg_admin_units__units') }}
    group by all
    having count_if(is_rural_commune) > 0
),

province_months as (
    select distinct province_code, period_month
    from loaded
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
    inner join expected using (province_code)
    left join loaded
        on expected.district_code = loaded.district_code
        and province_months.period_month = loaded.period_month
    group by all
)

select * from final
