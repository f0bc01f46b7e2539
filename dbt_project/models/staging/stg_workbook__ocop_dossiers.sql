-- Template 2024.2's B08_OCOP_DanhGia: one row per OCOP product dossier of the year, as written. Its product's
-- identity (the certificates' rule) is int_ocop_dossiers__identified.
with source as (
    select * from {{ source('workbook', 'ocop_dossiers') }}
),

final as (
    select
        product_key,
        product_name,
        producer_name,
        producer_key,
        commune_code,
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        year(period_month) as dossier_year,
        round_number,
        dossier_type,
        stage_code,
        score,
        stars_proposed,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
