-- One row per certificate row of sheet B04 / C04, as written: typed and renamed. Its product's identity (the
-- producer's commune on today's map) is int_ocop_certificates__identified.
with source as (
    select * from {{ source('workbook', 'ocop_products') }}
),

final as (
    select
        product_key,
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
