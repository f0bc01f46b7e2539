-- One row per OCOP product per reporting unit and month: the list as it stood in that month, for every past month
-- (mart_ocop_products keeps only today's list). Each product under the unit that listed it that month (its district up
-- to 06/2025, its commune from 07/2025), with the names valid in that month, and the certificate it counted with
-- (int_ocop_products__as_of_month carries it).
with products as (
    select * from {{ ref('int_ocop_products__as_of_month') }}
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
        products.producer_id,
        products.producer_name,
        coalesce(products.producer_type, 'unknown') as producer_type,
        coalesce(products.group_code, '-1') as group_code,
        groups.group_name_vi,
        products.current_stars as stars,
        products.current_score as score,
        case
            when not products.is_valid then 'expired'
            when products.current_status_code = 'recertified' then 're-certified'
            else 'valid'
        end as status,
        products.is_valid,
        products.current_decision_number as decision_number,
        products.current_decision_date as valid_from,
        products.current_expiry_date as valid_to,
        products.current_export_market as export_market
    from products
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
