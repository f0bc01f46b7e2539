-- One row per OCOP product group (148/QĐ-TTg and 1048/QĐ-TTg), plus a missing member.
with groups as (
    select * from {{ ref('ocop_groups') }}
),

final as (
    select group_code, group_name_vi, group_name_en, decision from groups
    union all
    select '-1', 'Không xác định', 'Unknown', null
)

select * from final
