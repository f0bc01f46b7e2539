with successors as (
    -- a legacy commune's main 2025 commune (the one that took its seat, or most of it)
    select legacy_commune_code, commune_code_2025
    from {{ ref('stg_admin_units__crosswalk_2025') }}
    where is_default
),

source as (
    select
        products.*,
        -- Where the producer is, on today's map: its commune, a legacy commune by the 2025 commune that absorbed it
        -- (so that a product listed by a district in 2023 and by the merged commune in 2026 is one product); the
        -- district only when B04 leaves the commune out (the template allows it).
        coalesce(
            'xa:' || case
                when products.period_month < date '2025-07-01'
                    then coalesce(successors.commune_code_2025, products.commune_code)
                else products.commune_code
            end,
            'huyen:' || products.district_code
        ) as producer_place
    from {{ source('district_workbook', 'ocop_products') }} as products
    left join successors on products.commune_code = successors.legacy_commune_code
),

final as (
    select
        -- One product identity per producer's commune across re-certifications: the same name and producer
        -- (compared as names are, see ingestion/text.py) in another commune is another producer.
        md5(producer_place || '|' || product_key) as product_id,
        md5(producer_place || '|' || split_part(product_key, '|', 2)) as producer_id,
        md5(producer_place || '|' || product_key || '|' || decision_date::varchar || '|' || coalesce(decision_number, ''))
            as certificate_id,
        product_code,
        product_name,
        producer_name,
        producer_type,
        commune_code,
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        group_code,
        stars,
        score,
        decision_number,
        decision_date,
        expiry_date,
        expiry_defaulted as is_expiry_defaulted,
        nullif(trim(export_market), '') as export_market,
        status_code,
        issuing_level,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
