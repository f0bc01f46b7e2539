-- The district's own NTM recognition as dated events (template 2024.2's B07_Huyen, read month after month): one row
-- per district and event, with the year it is dated to and the months whose workbooks stated it.
--   recognised       the year of recognition (Năm công nhận) at the level stated
--   not_maintaining  a recognised district that no longer meets the district set (Duy trì: Không)
--   under_appraisal  the dossier under appraisal (Tình trạng hồ sơ: Đang thẩm định)
--   target           the year a district not yet recognised aims for (Năm phấn đấu đạt chuẩn)
with status as (
    select * from {{ ref('fct_district_status') }}
),

events as (
    select district_code, province_code, 'recognised' as event_code, level_code, year_recognised as event_year,
        decision_number, period_month
    from status
    where is_recognised and year_recognised is not null
    union all
    select district_code, province_code, 'not_maintaining', level_code, year(period_month), null, period_month
    from status
    where is_not_maintaining
    union all
    select district_code, province_code, 'under_appraisal', level_code, year(period_month), null, period_month
    from status
    where is_under_appraisal
    union all
    select district_code, province_code, 'target', level_code, target_year, null, period_month
    from status
    where not is_recognised and target_year is not null
),

final as (
    select
        district_code,
        province_code,
        event_code,
        level_code,
        event_year::integer as event_year,
        max(decision_number) as decision_number,
        min(period_month) as first_reported_month,
        max(period_month) as last_reported_month,
        count(*)::integer as months_reported
    from events
    group by district_code, province_code, event_code, level_code, event_year
)

select * from final
