-- One row per fund source of sheet B05, plus a missing member.
with sources as (
    select * from {{ ref('fund_sources') }}
),

final as (
    select
        fund_source_code, fund_source_name_vi, fund_source_name_en, budget_group, sort_order::integer as sort_order,
        is_state_budget::boolean as is_state_budget
    from sources
    union all
    select '-1', 'Không xác định', 'Unknown', null, 99, null
)

select * from final
