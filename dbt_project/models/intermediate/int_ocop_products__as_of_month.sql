-- One row per OCOP product (one identity across re-certifications) per district and month,
-- with its state at the end of the month. A product counts
-- once, with the stars of its latest valid certificate (validity: int_ocop_certificates__as_of_month).
with certificate_state as (
    select * from {{ ref('int_ocop_certificates__as_of_month') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by product_id, reporting_unit_code, period_month
            order by is_valid_at_month_end desc, decision_date desc, row_number
        ) as recency
    from certificate_state
),

products as (
    select
        product_id,
        reporting_unit_code,
        period_month,
        bool_or(is_valid_at_month_end) as is_valid,
        bool_or(is_new_in_year) as is_new_in_year,
        count(*) as certificates_listed
    from certificate_state
    group by all
),

final as (
    select
        products.product_id,
        current.province_code,
        products.reporting_unit_code,
        current.district_code,
        products.period_month,
        current.product_name,
        current.producer_name,
        current.producer_type,
        current.commune_code,
        current.group_code,
        current.stars as current_stars,
        current.issuing_level as current_issuing_level,
        current.certificate_id as current_certificate_id,
        current.expiry_date as current_expiry_date,
        -- the rest of the counted certificate, for the lists of mart_ocop_products_by_month
        current.producer_id,
        current.score as current_score,
        current.decision_number as current_decision_number,
        current.decision_date as current_decision_date,
        current.status_code as current_status_code,
        current.export_market as current_export_market,
        products.is_valid,
        products.is_new_in_year,
        not products.is_valid as is_expired_not_recertified,
        products.is_valid and current.export_market is not null as is_exported,
        products.certificates_listed
    from products
    inner join ranked as current
        on current.product_id = products.product_id
        and current.reporting_unit_code = products.reporting_unit_code
        and current.period_month = products.period_month
        and current.recency = 1
)

select * from final
