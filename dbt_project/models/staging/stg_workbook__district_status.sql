-- Template 2024.2's B07_Huyen: the district's own NTM status as its workbook of the month states it.
with source as (
    select * from {{ source('workbook', 'district_status') }}
),

final as (
    select
        district_code,
        reporting_unit_code,
        province_code,
        period_month,
        level_code,
        level_code in ('ntm', 'advanced', 'model', 'completed') as is_recognised,
        year_recognised,
        decision_number,
        maintains_reported,
        target_year,
        dossier_status,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
