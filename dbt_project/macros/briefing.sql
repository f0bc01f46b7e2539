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
