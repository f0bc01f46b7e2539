-- One row per commune-level unit (xã, phường, thị trấn) of the pre-2025 official list; each 2025 commune whose
-- code the legacy list never had (no district: it belongs to its province); each commune a workbook named by a
-- code no list has (merged before the list's 2025 snapshot), kept as written; and a missing member ('-1'). NTM
-- criteria apply to xã only. Every version, dated: dim_admin_unit.
with legacy as (
    select * from {{ ref('stg_admin_units__units') }}
    where commune_code is not null
),

new_in_2025 as (
    select
        unit_code as commune_code,
        unit_name as commune_name,
        unit_short_name as commune_short_name,
        unit_type as commune_type,
        null::varchar as district_code,
        parent_code as province_code,
        unit_type = 'Xã' as is_rural_commune
    from {{ ref('stg_admin_units__versions') }}
    where unit_level = 'commune' and era = '2025' and unit_code not in (select commune_code from legacy)
    qualify row_number() over (partition by unit_code order by valid_from desc) = 1
),

units as (
    select commune_code, commune_name, commune_short_name, commune_type, district_code, province_code,
        is_rural_commune
    from legacy
    union all
    select * from new_in_2025
),

reported as (
    {% for model in ['stg_workbook__commune_criteria', 'stg_workbook__commune_indicators',
                     'stg_workbook__villages', 'stg_workbook__ocop_certificates'] %}
    select commune_code, district_code, province_code,
        {{ 'commune_name_written' if model == 'stg_workbook__commune_criteria' else 'null' }} as name_written
    from {{ ref(model) }}
    where commune_code is not null
    {{ 'union all' if not loop.last }}
    {% endfor %}
),

unlisted as (
    select
        commune_code,
        coalesce(max(name_written), 'Mã ' || commune_code) as commune_name,
        coalesce(max(name_written), 'Mã ' || commune_code) as commune_short_name,
        'Xã' as commune_type,
        any_value(district_code) as district_code,
        any_value(province_code) as province_code,
        true as is_rural_commune,
        false as is_in_reference_list
    from reported
    where commune_code not in (select commune_code from units)
    group by commune_code
),

communes as (
    select
        commune_code, commune_name, commune_short_name, commune_type, district_code, province_code,
        is_rural_commune, true as is_in_reference_list
    from units
    union all
    select * from unlisted
    union all
    select '-1', 'Không xác định', 'Không xác định', null, '-1', '-1', false, false
),

final as (
    select
        md5(commune_code) as commune_sk,
        commune_code,
        commune_name,
        commune_short_name,
        commune_type,
        district_code,
        province_code,
        is_rural_commune,
        is_in_reference_list
    from communes
)

select * from final
