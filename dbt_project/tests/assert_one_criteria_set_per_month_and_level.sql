-- At most one criteria set of a level is in force in any month (seed criteria_sets): sets of one level must not
-- overlap, or a month would count its criteria against two sets.
select a.unit_level, a.set_code, b.set_code as overlapping_set_code
from {{ ref('criteria_sets') }} as a
inner join {{ ref('criteria_sets') }} as b
    on a.unit_level = b.unit_level
    and a.set_code < b.set_code
    and a.valid_from <= coalesce(b.valid_to, date '9999-12-31')
    and b.valid_from <= coalesce(a.valid_to, date '9999-12-31')
