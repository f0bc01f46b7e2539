with source as (
    select * from {{ source('district_workbook', 'commune_criteria') }}
),

final as (
    select
        commune_code,
        commune_name_written,
        district_code,
        province_code,
        period_month,
        {% for n in range(1, 20) -%}
        c{{ '%02d' % n }} as is_criterion_{{ '%02d' % n }}_met,
        {% endfor -%}
        ({% for n in range(1, 20) %}c{{ '%02d' % n }}::integer{{ ' + ' if not loop.last }}{% endfor %}) as criteria_met,
        criteria_met_reported,
        level_code,
        year_ntm,
        year_advanced,
        year_model,
        maintains_reported,
        file_sha256,
        sheet,
        row_number
    from source
)

select * from final
