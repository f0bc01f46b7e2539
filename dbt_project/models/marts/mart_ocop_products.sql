-- One row per OCOP product as of the latest loaded month of the unit that lists it (its district up to 06/2025,
-- its commune from 07/2025): the current list. A product listed by a district in 2023 and by the merged commune in
-- 2026 is one product (its identity is its producer's commune on today's map): its latest listing. The rows are
-- those of the monthly list (mart_ocop_products_by_month) at each product's latest listing.
with by_month as (
    select * from {{ ref('mart_ocop_products_by_month') }}
),

latest_months as (
    select reporting_unit_code, max(period_month) as period_month
    from {{ ref('int_unit_months__loaded') }}
    group by reporting_unit_code
),

current as (
    select by_month.*
    from by_month
    inner join latest_months using (reporting_unit_code, period_month)
    qualify row_number() over (partition by by_month.product_id order by by_month.period_month desc) = 1
),

final as (
    select
        product_id,
        product_name,
        producer_id,
        producer_name,
        producer_type,
        commune_code,
        commune_name,
        district_code,
        province_code,
        group_code,
        group_name_vi,
        stars,
        score,
        decision_number,
        valid_from as decision_date,
        valid_to as expiry_date,
        status,
        export_market,
        period_month as as_of_month
    from current
)

select * from final
