-- One row per OCOP product as of the latest loaded month of its district: the current list.
with products as (
    select * from {{ ref('int_ocop_products__as_of_month') }}
),

latest_months as (
    select district_code, max(period_month) as period_month
    from {{ ref('int_district_months__loaded') }}
    group by district_code
),

certificates as (
    select * from {{ ref('int_ocop_certificates__as_of_month') }}
    qualify row_number() over (partition by certificate_id, district_code, period_month order by row_number) = 1
),

current as (
    select products.*
    from products
    inner join latest_months using (district_code, period_month)
),

final as (
    select
        current.product_id,
        current.product_name,
        certificate.producer_id,
        current.producer_name,
        coalesce(current.producer_type, 'unknown') as producer_type,
        coalesce(current.commune_code, '-1') as commune_code,
        communes.commune_name,
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
        and certificate.district_code = current.district_code
        and certificate.period_month = current.period_month
    left join {{ ref('dim_commune') }} as communes on communes.commune_code = current.commune_code
    left join {{ ref('dim_ocop_group') }} as groups on groups.group_code = current.group_code
)

select * from final
