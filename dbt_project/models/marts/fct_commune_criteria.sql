-- One row per commune per criterion per reporting month.
with criteria as (
    select * from {{ ref('int_commune_criteria__checked') }}
),

unpivoted as (
    {% for n in range(1, 20) -%}
    select commune_code, district_code, province_code, period_month,
        {{ n }} as criterion_number, is_criterion_{{ '%02d' % n }}_met as is_met, file_sha256, row_number
    from criteria
    {{ 'union all' if not loop.last }}
    {% endfor %}
),

final as (
    select
        commune_code,
        criterion_number::integer as criterion_number,
        period_month,
        district_code,
        province_code,
        is_met,
        file_sha256,
        row_number
    from unpivoted
)

select * from final
