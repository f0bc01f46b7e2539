-- One row per commune-level unit (xã, phường, thị trấn) of the pre-2025 official list,
-- plus a missing member ('-1'). NTM criteria apply to xã only (is_rural_commune).
with units as (
    select * from {{ ref('stg_admin_units__units') }}
    where commune_code is not null
),

missing_member as (
    select
        '-1' as commune_code, 'Không xác định' as commune_name, 'Không xác định' as commune_short_name,
        null as commune_type, '-1' as district_code, '-1' as province_code, false as is_rural_commune
),

communes as (
    select commune_code, commune_name, commune_short_name, commune_type, district_code, province_code, is_rural_commune
    from units
    union all
    select * from missing_member
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
        is_rural_commune
    from communes
)

select * from final
