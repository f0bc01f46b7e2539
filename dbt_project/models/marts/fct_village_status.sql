-- One row per village (thôn/bản) per reporting month, as listed in sheet B03.
with villages as (
    select * from {{ ref('stg_workbook__villages') }}
),

final as (
    select
        village_id,
        period_month,
        village_name,
        commune_code,
        district_code,
        province_code,
        level_code,
        level_code in ('ntm', 'model') as is_ntm,
        level_code = 'model' as is_model,
        year_recognised,
        year_recognised = year(period_month) as is_new_in_year,
        file_sha256,
        row_number
    from villages
)

select * from final
