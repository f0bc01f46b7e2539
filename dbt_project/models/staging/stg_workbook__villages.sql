with source as (
    select * from {{ source('workbook', 'villages') }}
),

final as (
    select
        md5(commune_code || '|' || village_key) as village_id,
        commune_code,
        village_name,
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        level_code,
        year_recognised,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
