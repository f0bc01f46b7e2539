-- One row per indicator (criterion.number): the confirmed ones of the seed, and any other a
-- workbook reported (named only when confirmed), plus a missing member.
with known as (
    select * from {{ ref('ntm_indicators') }}
),

reported as (
    select distinct indicator_code, criterion_number
    from {{ ref('stg_workbook__commune_indicators') }}
),

indicators as (
    select
        coalesce(known.indicator_code, reported.indicator_code) as indicator_code,
        coalesce(known.criterion_number, reported.criterion_number)::integer as criterion_number,
        known.indicator_name_vi,
        known.indicator_name_en,
        coalesce(known.is_confirmed, false) as is_confirmed,
        known.criteria_set_code
    from known
    full outer join reported using (indicator_code)
),

final as (
    select * from indicators
    union all
    select '-1', null, 'Không xác định', 'Unknown', false, null
)

select * from final
