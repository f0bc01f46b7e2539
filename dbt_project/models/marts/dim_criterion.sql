-- One row per criterion of the 2021-2025 commune NTM set (318/QĐ-TTg).
with criteria as (
    select * from {{ ref('ntm_criteria') }}
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
