-- One row per OCOP certificate as listed in a district's workbook for a reporting month.
with certificates as (
    select * from {{ ref('int_ocop_certificates__as_of_month') }}
),

final as (
    select
        certificate_id,
        product_id,
        producer_id,
        period_month,
        district_code,
        province_code,
        coalesce(commune_code, '-1') as commune_code,
        product_name,
        producer_name,
        producer_type,
        coalesce(group_code, '-1') as group_code,
        stars,
        score,
        decision_number,
        decision_date,
        expiry_date,
        is_expiry_defaulted,
        status_code,
        export_market,
        is_valid_at_month_end,
        is_new_in_year,
        file_sha256,
        sheet,
        row_number
    from certificates
)

select * from final
