-- One row per district per month: its B01 communes checked against the official list of that month
-- (the commune versions valid on its last day).
-- Validated by expectations/reference_integrity.py: a code the list lacks and a commune written
-- twice with the same values are warnings; a commune of another district, or one that another
-- district also reported for the month, would be counted twice in the province: critical.
with months as (
    select * from {{ ref('int_unit_months__loaded') }}
),

criteria as (
    select * from {{ ref('int_commune_criteria__counted') }}
),

listed as (
    -- a commune's parent in the month: its district up to 06/2025, its province from 07/2025
    select unit_code as commune_code, parent_code as listed_district_code, valid_from, valid_until
    from {{ ref('stg_admin_units__versions') }}
    where unit_level = 'commune'
),

communes as (
    select
        criteria.reporting_unit_code,
        coalesce(criteria.district_code, criteria.province_code) as parent_code,
        criteria.period_month,
        criteria.commune_code,
        any_value(criteria.commune_name_written) as commune_name_written,
        count(*) as rows_written,
        any_value(listed.listed_district_code) as listed_district_code,
        bool_or(listed.commune_code is not null) as is_listed
    from criteria
    left join listed
        on criteria.commune_code = listed.commune_code
        and last_day(criteria.period_month) between listed.valid_from and listed.valid_until
    group by all
),

also_elsewhere as (
    select distinct communes.reporting_unit_code, communes.period_month, communes.commune_code
    from communes
    inner join communes as other
        on communes.commune_code = other.commune_code
        and communes.period_month = other.period_month
        and communes.reporting_unit_code <> other.reporting_unit_code
),

flagged as (
    select
        communes.*,
        also_elsewhere.commune_code is not null as is_also_elsewhere,
        communes.commune_code || ' ' || coalesce(communes.commune_name_written, '') as commune_label
    from communes
    left join also_elsewhere using (reporting_unit_code, period_month, commune_code)
),

summary as (
    select
        reporting_unit_code,
        period_month,
        count_if(not is_listed) as communes_not_in_reference_list,
        string_agg(commune_label, ', ' order by commune_code) filter (where not is_listed)
            as communes_not_in_reference_list_named,
        count_if(listed_district_code <> parent_code) as communes_of_another_district,
        string_agg(commune_label || ' (listed under ' || listed_district_code || ')', ', ' order by commune_code)
            filter (where listed_district_code <> parent_code) as communes_of_another_district_named,
        count_if(is_also_elsewhere) as communes_also_reported_by_another_district,
        string_agg(commune_label, ', ' order by commune_code) filter (where is_also_elsewhere)
            as communes_also_reported_by_another_district_named,
        count_if(rows_written > 1) as communes_written_more_than_once,
        string_agg(commune_label || ' × ' || rows_written, ', ' order by commune_code)
            filter (where rows_written > 1) as communes_written_more_than_once_named
    from flagged
    group by all
),

final as (
    select
        months.province_code,
        months.reporting_unit_code,
        months.district_code,
        months.period_month,
        coalesce(summary.communes_not_in_reference_list, 0)::integer as communes_not_in_reference_list,
        summary.communes_not_in_reference_list_named,
        coalesce(summary.communes_of_another_district, 0)::integer as communes_of_another_district,
        summary.communes_of_another_district_named,
        coalesce(summary.communes_also_reported_by_another_district, 0)::integer
            as communes_also_reported_by_another_district,
        summary.communes_also_reported_by_another_district_named,
        coalesce(summary.communes_written_more_than_once, 0)::integer as communes_written_more_than_once,
        summary.communes_written_more_than_once_named,
        0 as allowed  -- every count above must be 0
    from months
    left join summary using (reporting_unit_code, period_month)
)

select * from final
