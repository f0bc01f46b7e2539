-- Legacy commune (the list of 30/06/2025) -> 2025 commune, by code: many-to-many. What "history restated to
-- today's map" goes through. NTM status does not carry over: a restated figure counts legacy communes.
with crosswalk as (
    select * from {{ ref('stg_admin_units__crosswalk_2025') }}
),

versions as (
    select * from {{ ref('stg_admin_units__versions') }}
    where unit_level = 'commune'
),

final as (
    select
        legacy.unit_key as legacy_unit_key,
        crosswalk.legacy_commune_code,
        legacy.unit_name as legacy_commune_name,
        legacy.parent_code as legacy_district_code,
        crosswalk.legacy_province_code,
        current_unit.unit_key as unit_key_2025,
        crosswalk.commune_code_2025,
        current_unit.unit_name as commune_name_2025,
        crosswalk.province_code_2025,
        crosswalk.is_split,
        crosswalk.is_default,
        crosswalk.is_cross_province
    from crosswalk
    inner join versions as legacy
        on legacy.unit_code = crosswalk.legacy_commune_code
        and legacy.era = 'legacy'
        and date '2025-06-30' between legacy.valid_from and legacy.valid_until
    inner join versions as current_unit
        on current_unit.unit_code = crosswalk.commune_code_2025
        and current_unit.era = '2025'
)

select * from final
