-- One row per criterion of every criteria set (seed set_criteria).
select
    set_code as criteria_set_code,
    criterion_number::integer as criterion_number,
    criterion_name_vi,
    criterion_name_en,
    criterion_group,
    source_url,
    confirmed = 'yes' as is_name_confirmed
from {{ ref('set_criteria') }}
