{#
  The grain of a model: no two rows share the values of `columns` (a null is a value like any other, so a
  key whose district_code is null in the commune era still counts). One test for every compound key, instead of
  `unique` over a hand-typed `a || '|' || b` expression, which ignores any row with a null part.
  Usage: data_tests: [{unique_key: {arguments: {columns: [reporting_unit_code, period_month]}}}]
#}
{% test unique_key(model, columns) %}
select {{ columns | join(', ') }}, count(*) as rows_with_key
from {{ model }}
group by all
having count(*) > 1
{% endtest %}
