-- One row per district per reporting month: the briefing figures of the district.
with measures as (
    select * from {{ ref('int_district_month__measures') }}
),

status as (
    select * from {{ ref('int_validation__district_status') }}
    where district_code is not null
),

final as (
    select
        measures.province_code,
        measures.district_code,
        measures.period_month,
        1 as districts_expected,
        1 as districts_reported,
        {{ briefing_figures() }},
        coalesce(status.validation_status, 'passed') as validation_status
    from measures
    left join status using (district_code, period_month)
)

select * from final
