-- One row per certificate row of B04 / C04 with its identities: the product, its producer and the certificate,
-- within the producer's commune on today's map (macros/identity.sql), whichever unit listed it.
with successors as (
    {{ default_successors() }}
),

source as (
    select
        products.*,
        {{ producer_place('products') }} as producer_place  -- the producer's commune on today's map
    from {{ ref('stg_workbook__ocop_certificates') }} as products
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
        * exclude (product_key, producer_place)  -- the certificate's row as staging types it
    from source
)

select * from final
