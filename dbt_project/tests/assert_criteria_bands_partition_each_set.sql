-- Every number of criteria from 0 to all of a set's falls in exactly one of its bands (seed criteria_bands).
with sets as (
    select set_code, criteria_in_set::integer as criteria_in_set from {{ ref('criteria_sets') }}
),

counts as (
    select sets.set_code, n.met
    from sets, generate_series(0, sets.criteria_in_set) as n (met)
)

select counts.set_code, counts.met, count(bands.band_code) as bands
from counts
left join {{ ref('criteria_bands') }} as bands
    on bands.set_code = counts.set_code and counts.met between bands.min_criteria and bands.max_criteria
group by all
having count(bands.band_code) <> 1
