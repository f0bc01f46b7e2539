-- One row per district-level unit of the pre-2025 official list, plus a missing member ('-1').
with units as (
    select * from {{ ref('stg_admin_units__units') }}
),

districts as (
    select
        district_code,
        any_value(district_name) as district_name,
        any_value(district_short_name) as district_short_name,
        any_value(district_type) as district_type,
        any_value(province_code) as province_code,
        count_if(is_rural_commune) as rural_communes
    from units
    group by district_code
),

missing_member as (
    select '-1', 'Không xác định', 'Không xác định', null, '-1', 0
),

final as (
    select
        md5(district_code) as district_sk,
        district_code,
        district_name,
        district_short_name,
        district_type,
        province_code,
        rural_communes::integer as rural_communes,
        rural_communes > 0 as has_rural_communes
    from (select * from districts union all select * from missing_member)
)

select * from final
