-- One row per commune x criterion of the advanced NTM set (318/QĐ-TTg annex II) per reporting month (template
-- 2024.2's B01N_TieuChiNangCao), for the communes working towards or holding the advanced level.
with marks as (
    select * from {{ ref('stg_workbook__advanced_criterion_marks') }}
),

final as (
    select
        commune_code,
        criterion_number,
        period_month,
        criteria_set_code,
        district_code,
        province_code,
        is_met,
        file_sha256,
        row_number
    from marks
)

select * from final
