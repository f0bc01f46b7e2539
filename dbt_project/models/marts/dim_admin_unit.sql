-- Every version of every administrative unit since 2010: a unit is its code within a validity period
-- (codes are reused: 18409 was Xã Tân Lộc of Lộc Hà, then of Thạch Hà, and is Xã Hồng Lộc since
-- 01/07/2025). Join a fact of month M on the code and last_day(M) between valid_from and valid_until.
-- The hierarchy is the era's: province -> district -> commune to 06/2025, province -> commune since.
with versions as (
    select * from {{ ref('stg_admin_units__versions') }}
),

final as (
    select
        versions.unit_key,
        versions.unit_level,
        versions.unit_code,
        versions.valid_from,
        versions.valid_to,
        versions.valid_until,
        versions.unit_name,
        versions.unit_short_name,
        versions.unit_type,
        versions.era,
        case
            when versions.unit_level = 'district' or (versions.unit_level = 'commune' and versions.era = '2025')
                then 'province'
            when versions.unit_level = 'commune' then 'district'
        end as parent_level,
        versions.parent_code,
        -- the parent version valid on this version's last day (or on 30/06/2025, the last day of its era)
        parent.unit_key as parent_unit_key,
        case
            when versions.unit_level = 'province' then versions.unit_code
            when versions.unit_level = 'district' or versions.era = '2025' then versions.parent_code
            else district.parent_code
        end as province_code,
        versions.valid_from_basis,
        versions.valid_to_basis,
        versions.sources
    from versions
    left join versions as parent
        on parent.unit_level = case
            when versions.unit_level = 'district' or (versions.unit_level = 'commune' and versions.era = '2025')
                then 'province'
            when versions.unit_level = 'commune' then 'district'
        end
        and parent.unit_code = versions.parent_code
        and versions.valid_until between parent.valid_from and parent.valid_until
    left join versions as district
        on versions.unit_level = 'commune' and versions.era = 'legacy'
        and district.unit_level = 'district'
        and district.unit_code = versions.parent_code
        and versions.valid_until between district.valid_from and district.valid_until
)

select * from final
