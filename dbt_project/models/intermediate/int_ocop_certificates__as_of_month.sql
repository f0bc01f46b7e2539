-- One row per OCOP certificate as listed for a district and month, with its state at the
-- end of that month. A certificate is valid when it is not marked expired, was decided by
-- the month's end, and expires on or after it; "new in the year" is a first certification
-- (status Mới) decided in the month's year.
with certificates as (
    select * from {{ ref('int_ocop_certificates__identified') }}
),

final as (
    select
        *,
        status_code <> 'expired'
            and decision_date <= last_day(period_month)
            and expiry_date >= last_day(period_month) as is_valid_at_month_end,
        status_code = 'new'
            and year(decision_date) = year(period_month)
            and decision_date <= last_day(period_month) as is_new_in_year
    from certificates
)

select * from final
