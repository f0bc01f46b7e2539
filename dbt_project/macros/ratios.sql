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
