-- One row per band of criteria met that briefings read out, per set (seed criteria_bands).
select
    set_code as criteria_set_code,
    band_code,
    min_criteria::integer as min_criteria,
    max_criteria::integer as max_criteria,
    band_name_vi,
    band_name_en,
    sort_order::integer as sort_order
from {{ ref('criteria_bands') }}
