-- One row per OCOP product per reporting unit and month: the list as it stood in that month, for every past month
-- (mart_ocop_products keeps only today's list). Each product under the unit that listed it that month (its district up
-- to 06/2025, its commune from 07/2025), with the names valid in that month, and the certificate it counted with.
with products as (
    select * from {{ ref('int_ocop_products__as_of_month') }}
),

certificates as (
    select * from {{ ref('int_ocop_certificates__as_of_month') }}
    qualify row_number() over (partition by certificate_id, reporting_unit_code, period_month order by row_number) = 1
),

versions as (
    select * from {{ ref('stg_admin_units__versions') }}
),

final as (
    select
        products.product_id,
        products.reporting_unit_code,
        products.period_month,
        products.province_code,
        products.district_code,
        districts.unit_name as district_name,
        coalesce(products.commune_code, '-1') as commune_code,
        communes.unit_name as commune_name,
        products.product_name,
        certificate.producer_id,
        products.producer_name,
        coalesce(products.producer_type, 'unknown') as producer_type,
        coalesce(products.group_code, '-1') as group_code,
        groups.group_name_vi,
        products.current_stars as stars,
        certificate.score,
        case
            when not products.is_valid then 'expired'
            when certificate.status_code = 'recertified' then 're-certified'
            else 'valid'
        end as status,
        products.is_valid,
        certificate.decision_number,
        certificate.decision_date as valid_from,
        certificate.expiry_date as valid_to,
        certificate.export_market
    from products
    inner join certificates as certificate
        on certificate.certificate_id = products.current_certificate_id
        and certificate.reporting_unit_code = products.reporting_unit_code
        and certificate.period_month = products.period_month
    left join versions as districts
        on districts.unit_level = 'district'
        and districts.unit_code = products.district_code
        and last_day(products.period_month) between districts.valid_from and districts.valid_until
    left join versions as communes
        on communes.unit_level = 'commune'
        and communes.unit_code = products.commune_code
        and last_day(products.period_month) between communes.valid_from and communes.valid_until
    left join {{ ref('dim_ocop_group') }} as groups on groups.group_code = products.group_code
)

select * from final
