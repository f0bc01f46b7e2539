{#- The briefing figures, from a relation of additive measures (int_unit_months__measures or its sum over
    a province). Both briefing marts select these, so they cannot drift; the measures are declared once, in
    dbt_project.yml (vars.briefing_measures), in column order. -#}
{#- added: false, the first measures; a template version ('2026.1', '2024.2'), the measures added to the contract
    with it, published after the columns that were there before them, so that earlier columns keep their places
    (2026.1's after validation_status, 2024.2's after is_sample_data); true, every added measure in order. -#}
{% macro briefing_figures(added=false) -%}
    {%- for m in var('briefing_measures') if m.get('published', true) and (
        (added is sameas false and 'added' not in m) or (added is sameas true and 'added' in m)
        or (added is string and m.get('added') == added)) %}
        {% if m.kind == 'ratio' -%}
        {{ (pct if m.get('percent') else ratio)(m.numerator, m.denominator, m.decimals) }}::{{ m.type }} as {{ m.name }}
        {%- else -%}
        {{ m.name }}::{{ m.type }} as {{ m.name }}
        {%- endif %}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The additive measures, summed (over the units of a province). An optional measure (from an optional sheet) is
    null unless every unit summed reported it: a partial sum would read as the province's figure. -#}
{% macro sum_measures() -%}
    {%- for m in var('briefing_measures') if m.kind == 'additive' %}
        {% if m.get('optional') -%}
        case when count({{ m.name }}) = count(*) then sum({{ m.name }}) end as {{ m.name }}
        {%- else -%}
        sum({{ m.name }}) as {{ m.name }}
        {%- endif %}{{ ',' if not loop.last }}
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
    from {{ ref('int_unit_months__loaded') }}
    where reporting_unit_level = '{{ level }}'
),

status as (
    select * from {{ ref('int_validation__unit_status') }}
    where reporting_unit_code is not null
),

sets as (
    select period_month, criteria_set_code, criteria_in_set from {{ ref('int_periods__criteria_sets') }}
),

publishable as (
    select measures.*
    from {{ ref('int_unit_months__measures') }} as measures
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
        sets.criteria_set_code,
        sets.criteria_in_set::integer as criteria_in_set,
        {{ briefing_figures() }},
        coalesce(status.validation_status, 'passed') as validation_status,
        {{ briefing_figures(added='2026.1') }},
        months.is_sample as is_sample_data,
        {{ briefing_figures(added='2024.2') }},
        {{ briefing_figures(added='2026.12') }}
    from months
    left join publishable using (reporting_unit_code, period_month)
    left join status using (reporting_unit_code, period_month)
    left join sets on sets.period_month = months.period_month
)

select * from final
{%- endmacro %}
