-- One row per criterion of the 2021-2025 commune NTM set (318/QĐ-TTg): the set the 19-criteria columns of the
-- briefing marts read. Every set's criteria: dim_set_criterion.
with criteria as (
    select * from {{ ref('set_criteria') }}
    where set_code = 'ntm-xa-2021-2025'
),

final as (
    select
        criterion_number::integer as criterion_number,
        criterion_name_vi,
        criterion_name_en,
        criterion_group
    from criteria
)

select * from final
