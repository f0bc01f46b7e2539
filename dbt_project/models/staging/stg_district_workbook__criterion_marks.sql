-- One row per commune x criterion of sheet B01, as marked (the reader unpivots the template's columns).
select
    commune_code,
    criterion_number,
    is_met,
    district_code,
    province_code,
    period_month,
    file_sha256,
    sheet,
    row_number
from {{ source('district_workbook', 'commune_criterion_marks') }}
