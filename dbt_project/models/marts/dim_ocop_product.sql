-- One row per OCOP product: one identity across re-certifications (same name and producer,
-- compared as names are), described as in its latest listing, plus a missing member.
with certificates as (
    select * from {{ ref('int_ocop_certificates__as_of_month') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by product_id order by period_month desc, decision_date desc, row_number
        ) as recency,
        min(decision_date) over (partition by product_id) as first_certified_date,
        count(distinct certificate_id) over (partition by product_id) as certifications
    from certificates
),

final as (
    select
        product_id,
        product_name,
        producer_id,
        coalesce(commune_code, '-1') as commune_code,
        district_code,
        province_code,
        coalesce(group_code, '-1') as group_code,
        first_certified_date,
        certifications::integer as certifications
    from ranked
    where recency = 1
    union all
    select '-1', 'Không xác định', '-1', '-1', '-1', '-1', '-1', null, 0
)

select * from final
