with source as (
    select * from {{ source('admin_units', 'admin_units') }}
),

final as (
    select
        province_code,
        province_name,
        province_short_name,
        district_code,
        district_name,
        district_short_name,
        district_type,
        commune_code,
        commune_name,
        commune_short_name,
        commune_type,
        commune_type = 'Xã' as is_rural_commune
    from source
)

select * from final
