-- One row per NTM level, ordered (levels nest), plus a missing member.
with levels as (
    select * from {{ ref('ntm_levels') }}
),

final as (
    select level_code, level_rank::integer as level_rank, level_name_vi, level_name_en from levels
    union all
    select '-1', -1, 'Không xác định', 'Unknown'
)

select * from final
