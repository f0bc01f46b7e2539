-- One row per district per reporting month that has a loaded (current) workbook.
with covers as (
    select * from {{ ref('stg_district_workbook__covers') }}
),

final as (
    select
        province_code,
        district_code,
        period_month,
        last_day(period_month) as month_end_date,
        year(period_month) as plan_year,
        file_sha256,
        file_name,
        report_date
    from covers
)

select * from final
