-- Template 2024.2's B01N_TieuChiNangCao: one row per commune x criterion of the advanced set (seed criteria_sets,
-- unit_level commune_advanced).
with source as (
    select * from {{ source('workbook', 'advanced_criterion_marks') }}
),

final as (
    select
        commune_code,
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        criteria_set_code,
        criterion_number,
        is_met,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
