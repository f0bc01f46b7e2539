-- One row per criteria set: its code, level, validity, size and decision (seed criteria_sets). A month reports
-- against the set valid in it; adding a set is adding seed rows (criteria_sets, set_criteria, criteria_bands).
select
    set_code as criteria_set_code,
    unit_level,
    valid_from,
    valid_to,
    criteria_in_set::integer as criteria_in_set,
    indicators_in_set::integer as indicators_in_set,
    has_commune_groups::boolean as has_commune_groups,
    decision,
    set_name_vi,
    set_name_en,
    note
from {{ ref('criteria_sets') }}
