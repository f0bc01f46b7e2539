select
    legacy_commune_code,
    legacy_province_code,
    commune_code_2025,
    province_code_2025,
    is_split,
    is_default,
    is_cross_province
from {{ source('admin_units', 'commune_crosswalk_2025') }}
