-- One row per OCOP product dossier per reporting month (template 2024.2's B08_OCOP_DanhGia: the year's dossiers,
-- every stage from registration to recognition or failure). product_id and producer_id are those of
-- fct_ocop_certification and dim_ocop_product: a dossier and the certificate it leads to are one product.
with dossiers as (
    select * from {{ ref('int_ocop_dossiers__identified') }}
),

final as (
    select
        product_id,
        producer_id,
        period_month,
        product_name,
        producer_name,
        commune_code,
        district_code,
        province_code,
        dossier_year::integer as dossier_year,
        round_number,
        dossier_type,
        stage_code,
        is_evaluated,
        stage_code = 'failed' as is_failed,
        score,
        stars_proposed,
        file_sha256,
        row_number
    from dossiers
)

select * from final
