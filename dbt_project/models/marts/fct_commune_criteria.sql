-- One row per commune per criterion per reporting month: the marks of the commune's row (the first one the
-- district wrote for it, as in int_commune_criteria__checked; a commune's own C01 from 07/2025), with the criteria
-- set in force.
with communes as (
    select * from {{ ref('int_commune_criteria__checked') }}
),

marks as (
    select * from {{ ref('stg_workbook__criterion_marks') }}
),

final as (
    select
        communes.commune_code,
        marks.criterion_number::integer as criterion_number,
        communes.period_month,
        communes.district_code,
        communes.province_code,
        marks.is_met,
        communes.criteria_set_code,
        communes.file_sha256,
        communes.row_number
    from communes
    inner join marks
        on marks.file_sha256 = communes.file_sha256
        and marks.commune_row_number = communes.row_number  -- B01: the same row; C01: its rows under the commune
)

select * from final
