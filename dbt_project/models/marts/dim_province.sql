-- One row per province of the pre-2025 official list, plus a missing member ('-1').
with units as (
    select * from {{ ref('stg_admin_units__units') }}
),

provinces as (
    select
        province_code,
        any_value(province_name) as province_name,
        any_value(province_short_name) as province_short_name,
        count(distinct district_code) filter (where is_rural_commune) as districts_with_communes,
        count_if(is_rural_commune) as rural_communes
    from units
    group by province_code
),

missing_member as (
    select '-1' as province_code, 'Không xác định' as province_name, 'Không xác định' as province_short_name,
        0 as districts_with_communes, 0 as rural_communes
),

final as (
    select
        md5(province_code) as province_sk,
        province_code,
        province_name,
        province_short_name,
        districts_with_communes::integer as districts_with_communes,
        rural_communes::integer as rural_communes
    from (
        select * from provinces
        union all
        select * from missing_member
    )
)

select * from final
