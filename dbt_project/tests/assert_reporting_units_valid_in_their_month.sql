-- Every loaded workbook's reporting unit is a unit of its level valid on the last day of its month, in the
-- province the cover names (the reader rejects any other; this holds the warehouse to it). Districts and
-- 2025 communes both have their province as parent.
select covers.file_sha256, covers.reporting_unit_level, covers.reporting_unit_code, covers.period_month
from {{ ref('stg_workbook__covers') }} as covers
left join {{ ref('stg_admin_units__versions') }} as units
    on units.unit_level = covers.reporting_unit_level
    and units.unit_code = covers.reporting_unit_code
    and last_day(covers.period_month) between units.valid_from and units.valid_until
    and units.parent_code = covers.province_code
where units.unit_key is null
