with source as (
    select * from {{ source('audit', 'validation_results') }}
),

final as (
    select
        run_id,
        checked_at,
        suite,
        check_name,
        severity,
        success,
        province_code,
        district_code,
        reporting_unit_code,
        period_month,
        observed,
        expected,
        details
    from source
)

select * from final
