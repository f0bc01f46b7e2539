with source as (
    select * from {{ source('admin_units', 'admin_units') }}
),

final as (
    select
        unit_level || ':' || unit_code || '@' || strftime(valid_from, '%Y-%m-%d') as unit_key,
        unit_level,
        unit_code,
        valid_from,
        valid_to,
        coalesce(valid_to, date '9999-12-31') as valid_until,
        unit_name,
        unit_short_name,
        unit_type,
        parent_code,
        era,
        valid_from_basis,
        valid_to_basis,
        sources
    from source
)

select * from final
