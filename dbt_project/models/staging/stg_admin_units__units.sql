-- The legacy era flattened to one row per commune code (its latest legacy version) with the district and
-- province of that version; districts without communes (island districts) with a null commune.
with versions as (
    select * from {{ ref('stg_admin_units__versions') }}
    where era = 'legacy'
),

latest as (
    select * from versions
    qualify row_number() over (partition by unit_level, unit_code order by valid_from desc) = 1
),

provinces as (
    select * from latest
    where unit_level = 'province'
),

districts as (
    select * from latest
    where unit_level = 'district'
),

communes as (
    select * from latest
    where unit_level = 'commune'
),

final as (
    select
        provinces.unit_code as province_code,
        provinces.unit_name as province_name,
        provinces.unit_short_name as province_short_name,
        districts.unit_code as district_code,
        districts.unit_name as district_name,
        districts.unit_short_name as district_short_name,
        districts.unit_type as district_type,
        communes.unit_code as commune_code,
        communes.unit_name as commune_name,
        communes.unit_short_name as commune_short_name,
        communes.unit_type as commune_type,
        coalesce(communes.unit_type = 'Xã', false) as is_rural_commune,
        coalesce(communes.valid_from, districts.valid_from) as valid_from,
        coalesce(communes.valid_to, districts.valid_to) as valid_to
    from districts
    inner join provinces on districts.parent_code = provinces.unit_code
    left join communes on communes.parent_code = districts.unit_code
    -- a district code reused later: only the communes whose latest version lies in this district
)

select * from final
