-- One row per commune row of sheet B01 (or C01's status), with the criteria set in force in its month
-- (int_periods__criteria_sets) and the criteria of that set it meets, counted from its marks (a mark outside the
-- set counts for nothing).
with source as (
    select * from {{ ref('stg_workbook__commune_criteria') }}
),

sets as (
    select period_month, criteria_set_code, criteria_in_set from {{ ref('int_periods__criteria_sets') }}
),

set_criteria as (
    select * from {{ ref('set_criteria') }}
),

marks as (
    select * from {{ ref('stg_workbook__criterion_marks') }}
),

with_set as (
    select
        source.*,
        sets.criteria_set_code,
        sets.criteria_in_set
    from source
    left join sets using (period_month)
),

counted as (
    select
        marks.file_sha256,
        marks.commune_row_number as row_number,
        count_if(marks.is_met and set_criteria.criterion_number is not null) as criteria_met,
        -- the marks as one text, so that two rows of one commune are compared mark by mark
        string_agg(marks.criterion_number || ':' || marks.is_met::integer, ',' order by marks.criterion_number)
            as criteria_marks,
        count_if(set_criteria.criterion_number is null) as marks_outside_set,
        count(set_criteria.criterion_number) as criteria_reported,
        sum(marks.indicators_met) as indicators_met
    from marks
    inner join with_set
        on marks.file_sha256 = with_set.file_sha256
        and marks.commune_row_number = with_set.row_number
    left join set_criteria
        on set_criteria.set_code = with_set.criteria_set_code
        and set_criteria.criterion_number = marks.criterion_number
    group by all
),

final as (
    select
        with_set.commune_code,
        with_set.commune_name_written,
        with_set.district_code,
        with_set.reporting_unit_code,
        with_set.province_code,
        with_set.period_month,
        with_set.criteria_set_code,
        with_set.criteria_in_set,
        coalesce(counted.criteria_met, 0) as criteria_met,
        counted.criteria_marks,
        coalesce(counted.marks_outside_set, 0) as marks_outside_set,
        coalesce(counted.criteria_reported, 0) as criteria_reported,
        counted.indicators_met,
        with_set.criteria_met_reported,
        with_set.level_code,
        with_set.year_ntm,
        with_set.year_advanced,
        with_set.year_model,
        with_set.year_modern,
        with_set.decision_number,
        with_set.maintains_reported,
        with_set.file_sha256,
        with_set.sheet,
        with_set.row_number
    from with_set
    left join counted using (file_sha256, row_number)
)

select * from final
