-- One row per OCOP producer (chủ thể), named as in its latest listing, plus a missing member.
with certificates as (
    select * from {{ ref('int_ocop_certificates__as_of_month') }}
),

latest as (
    select
        producer_id,
        producer_name,
        producer_type,
        district_code,
        province_code,
        row_number() over (
            partition by producer_id order by period_month desc, decision_date desc, row_number
        ) as recency
    from certificates
),

final as (
    select
        producer_id,
        producer_name,
        coalesce(producer_type, 'unknown') as producer_type,
        district_code,
        province_code
    from latest
    where recency = 1
    union all
    select '-1', 'Không xác định', 'unknown', '-1', '-1'
)

select * from final
