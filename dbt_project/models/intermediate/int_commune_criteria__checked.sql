-- One row per commune per reporting month (the first row the district wrote for it), with how
-- many different versions of the commune the district's workbook holds. A commune written twice
-- with different values is a contradiction: the district's month is held back (unit_consistency).
with criteria as (
    select * from {{ ref('int_commune_criteria__counted') }}
),

versions as (
    select
        *,
        count(distinct md5(row(*columns(* exclude (file_sha256, sheet, row_number)))::varchar)) over (
            partition by commune_code, period_month
        ) as versions_in_month,
        row_number() over (partition by commune_code, period_month order by row_number) as position
    from criteria
),

final as (
    select * exclude (position)
    from versions
    where position = 1
)

select * from final
