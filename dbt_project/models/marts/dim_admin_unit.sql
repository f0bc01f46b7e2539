-- Every version of every administrative unit since 2010: a unit is its code within a validity period
-- (codes are reused: 18409 was Xã Tân Lộc of Lộc Hà, then of Thạch Hà, and is Xã Hồng Lộc since
-- 01/07/2025). Join a fact of month M on the code and last_day(M) between valid_from and valid_until.
-- The hierarchy is the era's: province -> district -> commune to 06/2025, province -> commune since.
with versions as (
    select * from {{ ref('stg_admin_units__versions') }}
),

leveled as (
    select
        *,
        case
            when unit_level = 'district' or (unit_level = 'commune' and era = '2025') then 'province'
            when unit_level = 'commune' then 'district'
        end as parent_level
    from versions
),

final as (
    select
        leveled.unit_key,
        leveled.unit_level,
        leveled.unit_code,
        leveled.valid_from,
        leveled.valid_to,
        leveled.valid_until,
        leveled.unit_name,
        leveled.unit_short_name,
        leveled.unit_type,
        leveled.era,
        leveled.parent_level,
        leveled.parent_code,
        -- the parent's version valid on this version's last day
        parent.unit_key as parent_unit_key,
        case leveled.parent_level
            when 'province' then leveled.parent_code
            when 'district' then parent.parent_code
            else leveled.unit_code
        end as province_code,
        leveled.valid_from_basis,
        leveled.valid_to_basis,
        leveled.sources
    from leveled
    left join versions as parent
        on parent.unit_level = leveled.parent_level
        and parent.unit_code = leveled.parent_code
        and leveled.valid_until between parent.valid_from and parent.valid_until
)

select * from final
