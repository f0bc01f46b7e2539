{#- numerator / denominator x 100, rounded; null when there is nothing to divide by. -#}
{% macro pct(numerator, denominator, digits=2) -%}
    case when coalesce({{ denominator }}, 0) = 0 then null
         else round(100.0 * {{ numerator }} / {{ denominator }}, {{ digits }}) end
{%- endmacro %}

{#- numerator / denominator, rounded; null when the denominator is 0 or null. -#}
{% macro ratio(numerator, denominator, digits=2) -%}
    case when coalesce({{ denominator }}, 0) = 0 then null
         else round(1.0 * {{ numerator }} / {{ denominator }}, {{ digits }}) end
{%- endmacro %}

{#- The bands provinces report the criteria distribution in (19; 15-18; 10-14; 5-9; under 5). -#}
{% macro criteria_band(criteria_met) -%}
    case
        when {{ criteria_met }} >= 19 then '19'
        when {{ criteria_met }} >= 15 then '15-18'
        when {{ criteria_met }} >= 10 then '10-14'
        when {{ criteria_met }} >= 5 then '5-9'
        else 'under 5'
    end
{%- endmacro %}
