-- Template 2024.2's B08_OCOP_DanhGia: one row per OCOP product dossier of the year. product_id is the
-- certificates' (int_ocop_certificates__identified): the producer's commune on today's map and the product's
-- name and producer as names compare, so a dossier and the certificate it leads to are one product.
with successors as (
    {{ default_successors() }}
),

source as (
    select
        dossiers.*,
        {{ producer_place('dossiers') }} as producer_place
    from {{ ref('stg_workbook__ocop_dossiers') }} as dossiers
    left join successors on dossiers.commune_code = successors.legacy_commune_code
),

final as (
    select
        md5(producer_place || '|' || product_key) as product_id,
        md5(producer_place || '|' || producer_key) as producer_id,
        stage_code in ('district_evaluation', 'province_evaluation', 'recognised', 'failed') as is_evaluated,
        * exclude (product_key, producer_place)  -- the dossier's row as staging types it
    from source
)

select * from final
