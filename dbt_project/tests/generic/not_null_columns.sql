{#
  No null in any of `columns`: the not_null constraints of a mart materialised as a view (dbt enforces a contract's
  constraints on tables only), checked in one test instead of one not_null test per column. Each failing row
  says which columns are null.
  Usage: data_tests: [{not_null_columns: {arguments: {columns: [province_code, period_month]}}}]
#}
{% test not_null_columns(model, columns) %}
select
    {% for column in columns %}{{ column }} is null as {{ column }}_is_null{{ "," if not loop.last }}
    {% endfor %}
from {{ model }}
where {% for column in columns %}{{ column }} is null{{ " or " if not loop.last }}{% endfor %}
{% endtest %}
