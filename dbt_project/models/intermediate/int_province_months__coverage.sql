-- One row per province per month with any workbook loaded: the reporting units valid in that month (on its last
-- day) that should report on NTM, how many reported, and the ones that have not, named. Up to 06/2025 the units are
-- the districts that had rural communes then; from 07/2025 the xã of the province (phường and đặc khu do not
-- report on NTM). Validated by expectations/coverage.py (a warning on the province's row).
with loaded as (
    select * from {{ ref('int_unit_months__loaded') }}
),

versions as (
    select * from {{ ref('stg_admin_units__versions') }}
),

-- from which day each province's list of units is known (seed unit_list_sources; '*' for the others)
list_sources as (
    select * from {{ ref('unit_list_sources') }}
),

province_months as (
    select distinct province_code, period_month, reporting_unit_level
    from loaded
),

expected_districts as (
    select
        province_months.province_code,
        province_months.period_month,
        districts.unit_code,
        any_value(districts.unit_name) as unit_name
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
    where province_months.reporting_unit_level = 'district'
    group by all
),

expected_communes as (
    select
        province_months.province_code,
        province_months.period_month,
        communes.unit_code,
        communes.unit_name
    from province_months
    inner join versions as communes
        on communes.unit_level = 'commune'
        and communes.unit_type = 'Xã'
        and communes.parent_code = province_months.province_code
        and last_day(province_months.period_month) between communes.valid_from and communes.valid_until
    where province_months.reporting_unit_level = 'commune'
),

expected as (
    select *, 'district' as reporting_unit_level from expected_districts
    union all
    select *, 'commune' as reporting_unit_level from expected_communes
),

counted as (
    select
        province_months.province_code,
        province_months.period_month,
        province_months.reporting_unit_level,
        count(*)::integer as units_expected,
        count(loaded.reporting_unit_code)::integer as units_reported,
        string_agg(expected.unit_name || ' (' || expected.unit_code || ')', ', '
            order by expected.unit_code) filter (where loaded.reporting_unit_code is null) as units_missing
    from province_months
    inner join expected using (province_code, period_month, reporting_unit_level)
    left join loaded
        on expected.unit_code = loaded.reporting_unit_code
        and province_months.period_month = loaded.period_month
    group by all
),

listed as (
    select
        counted.*,
        coalesce(own.listed_from, every.listed_from) as units_listed_from
    from counted
    left join list_sources as own on own.province_code = counted.province_code
    cross join (select listed_from from list_sources where province_code = '*') as every
),

final as (
    select
        province_code,
        null::varchar as reporting_unit_code,
        null::varchar as district_code,
        period_month,
        reporting_unit_level,
        units_expected,
        units_reported,
        units_missing,
        -- the district era's names for the same figures (null from 07/2025: there are no districts)
        case when reporting_unit_level = 'district' then units_expected end as districts_expected,
        case when reporting_unit_level = 'district' then units_reported end as districts_reported,
        case when reporting_unit_level = 'district' then units_missing end as districts_missing,
        -- a month before the province's list is known: the units expected are an assumed list, never "complete"
        units_listed_from,
        last_day(period_month) >= units_listed_from as is_unit_list_known,
        true as unit_list_known_required,
        case when last_day(period_month) < units_listed_from
            then 'danh mục đơn vị hành chính lưu trữ của tỉnh bắt đầu từ ' || strftime(units_listed_from, '%d/%m/%Y')
        end as unit_list_note
    from listed
)

select * from final
