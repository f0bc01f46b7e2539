-- One row per criteria set: its code, level, validity, size, decision (seed criteria_sets) and the levels it
-- recognises (seed set_levels). A month reports against the set valid in it; adding a set is adding seed rows
-- (criteria_sets, set_criteria, criteria_bands, set_levels).
with levels as (
    select set_code, string_agg(set_levels.level_code, ', ' order by ntm_levels.level_rank, set_levels.level_code)
        as levels_in_set
    from {{ ref('set_levels') }} as set_levels
    left join {{ ref('ntm_levels') }} as ntm_levels using (level_code)
    group by all
)

select
    sets.set_code as criteria_set_code,
    sets.unit_level,
    sets.valid_from,
    sets.valid_to,
    sets.criteria_in_set::integer as criteria_in_set,
    sets.indicators_in_set::integer as indicators_in_set,
    sets.has_commune_groups::boolean as has_commune_groups,
    sets.decision,
    sets.set_name_vi,
    sets.set_name_en,
    sets.note,
    levels.levels_in_set
from {{ ref('criteria_sets') }} as sets
left join levels using (set_code)
