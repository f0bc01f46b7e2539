-- One row per district per reporting month whose workbook carries template 2024.2's B07_Huyen: the district's own
-- NTM status (level, year and decision of recognition, maintenance, target year, dossier under appraisal) and the
-- criteria of the district set it meets. A district whose workbook lacks the sheet has no row (not reported).
with status as (
    select * from {{ ref('stg_workbook__district_status') }}
),

marks as (
    select reporting_unit_code, period_month, any_value(criteria_set_code) as criteria_set_code,
        count(*) as criteria_reported, count_if(is_met) as criteria_met
    from {{ ref('stg_workbook__district_criterion_marks') }}
    group by all
),

sets as (
    select period_month, district_criteria_set_code, district_criteria_in_set
    from {{ ref('int_periods__criteria_sets') }}
),

final as (
    select
        status.district_code,
        status.province_code,
        status.period_month,
        status.level_code,
        status.is_recognised,
        status.year_recognised,
        status.decision_number,
        status.maintains_reported,
        status.is_recognised and status.maintains_reported = false as is_not_maintaining,
        status.target_year,
        coalesce(status.dossier_status = 'under_appraisal', false) as is_under_appraisal,
        coalesce(marks.criteria_set_code, sets.district_criteria_set_code) as criteria_set_code,
        sets.district_criteria_in_set as criteria_in_set,
        marks.criteria_reported::integer as criteria_reported,
        marks.criteria_met::integer as criteria_met,
        status.file_sha256,
        status.row_number
    from status
    left join marks using (reporting_unit_code, period_month)
    left join sets on sets.period_month = status.period_month
)

select * from final
