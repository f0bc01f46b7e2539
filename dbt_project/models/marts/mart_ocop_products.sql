-- One row per OCOP product as of the latest loaded month of the unit that lists it (its district up to 06/2025,
-- its commune from 07/2025): the current list. A product listed by a district in 2023 and by the merged commune in
-- 2026 is one product (its identity is its producer's commune on today's map): its latest listing.
with products as (
    select * from {{ ref('int_ocop_products__as_of_month') }}
),

latest_months as (
    select reporting_unit_code, max(period_month) as period_month
    from {{ ref('int_unit_months__loaded') }}
    group by reporting_unit_code
),

certificates as (
    select * from {{ ref('int_ocop_certificates__as_of_month') }}
    qualify row_number() over (partition by certificate_id, reporting_unit_code, period_month order by row_number) = 1
),

current as (
    select products.*
    from products
    inner join latest_months using (reporting_unit_code, period_month)
    qualify row_number() over (partition by products.product_id order by products.period_month desc) = 1
),

final as (
    select
        current.product_id,
        current.product_name,
        certificate.producer_id,
        current.producer_name,
        coalesce(current.producer_type, 'unknown') as producer_type,
        coalesce(current.commune_code, '-1') as commune_code,
        communes.unit_name as commune_name,
        current.district_code,
        current.province_code,
        coalesce(current.group_code, '-1') as group_code,
        groups.group_name_vi,
        current.current_stars as stars,
        certificate.score,
        certificate.decision_number,
        certificate.decision_date,
        certificate.expiry_date,
        case
            when not current.is_valid then 'expired'
            when certificate.status_code = 'recertified' then 're-certified'
            else 'valid'
        end as status,
        certificate.export_market,
        current.period_month as as_of_month
    from current
    inner join certificates as certificate
        on certificate.certificate_id = current.current_certificate_id
        and certificate.reporting_unit_code = current.reporting_unit_code
        and certificate.period_month = current.period_month
    left join {{ ref('stg_admin_units__versions') }} as communes
        on communes.unit_level = 'commune'
        and communes.unit_code = current.commune_code
        and last_day(current.period_month) between communes.valid_from and communes.valid_until
    left join {{ ref('dim_ocop_group') }} as groups on groups.group_code = current.group_code
)

select * from final
