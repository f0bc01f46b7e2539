{#- The briefing figures, from a relation of additive measures (int_district_month__measures or its sum over
    a province). Both briefing marts select these, so they cannot drift; the measures are declared once, in
    dbt_project.yml (vars.briefing_measures), in column order. -#}
{#- added=true: the measures added to the contract later (their `added` version), published after validation_status
    so that the earlier columns keep their places. -#}
{% macro briefing_figures(added=false) -%}
    {%- for m in var('briefing_measures') if m.get('published', true) and (('added' in m) == added) %}
        {% if m.kind == 'ratio' -%}
        {{ (pct if m.get('percent') else ratio)(m.numerator, m.denominator, m.decimals) }}::{{ m.type }} as {{ m.name }}
        {%- else -%}
        {{ m.name }}::{{ m.type }} as {{ m.name }}
        {%- endif %}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The additive measures, summed (over the districts of a province). -#}
{% macro sum_measures() -%}
    {%- for m in var('briefing_measures') if m.kind == 'additive' %}
        sum({{ m.name }}) as {{ m.name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The published additive measures: what a province's row must equal the sum of its districts for. -#}
{% macro additive_briefing_measures() -%}
    {{ return(var('briefing_measures') | selectattr('kind', 'equalto', 'additive')
        | rejectattr('published', 'sameas', false) | map(attribute='name') | list) }}
{%- endmacro %}

{#- One reporting unit's briefing rows (mart_district_briefing, mart_commune_briefing): the units of `level`
    (district | commune) with their figures, held back (status 'failed', no figures) when a critical check failed.
    `unit_columns`: the columns naming the unit, after province_code; the month follows them, then `after_month`. -#}
{% macro unit_briefing(level, unit_columns, after_month=[]) -%}
with months as (
    select province_code, reporting_unit_code, {{ (unit_columns + after_month) | join(', ') }}, period_month, is_sample
    from {{ ref('int_district_months__loaded') }}
    where reporting_unit_level = '{{ level }}'
),

status as (
    select * from {{ ref('int_validation__district_status') }}
    where reporting_unit_code is not null
),

sets as (
    select * from {{ ref('criteria_sets') }}
    where unit_level = 'commune'
),

publishable as (
    select measures.*
    from {{ ref('int_district_month__measures') }} as measures
    left join status using (reporting_unit_code, period_month)
    where coalesce(status.validation_status, 'passed') <> 'failed'
),

final as (
    select
        months.province_code,
        {% for column in unit_columns %}months.{{ column }},
        {% endfor -%}
        months.period_month,
        {% for column in after_month %}months.{{ column }}::integer as {{ column }},
        {% endfor -%}
        {{ caller() }}
        sets.set_code as criteria_set_code,
        sets.criteria_in_set::integer as criteria_in_set,
        {{ briefing_figures() }},
        coalesce(status.validation_status, 'passed') as validation_status,
        {{ briefing_figures(added=true) }},
        months.is_sample as is_sample_data
    from months
    left join publishable using (reporting_unit_code, period_month)
    left join status using (reporting_unit_code, period_month)
    left join sets
        on months.period_month between sets.valid_from and coalesce(sets.valid_to, date '9999-12-31')
)

select * from final
{%- endmacro %}
