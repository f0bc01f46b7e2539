{#
  Every value of each column is a key of the model it names: dbt's `relationships`, for all the references of a
  model in one test. One node instead of one per column: dbt spends ~30 ms a node whatever its rows, and the
  project's ~95 references were a third of a build's nodes. A null references nothing and passes, as in
  `relationships`. Each failing row names the column, the model it references and the value missing there.
  Usage: data_tests: [{references: {arguments: {columns: {district_code: dim_district,
                                                          stated_in_month: dim_period.period_month}}}}]
  (the referenced column is the same name unless `model.column` says otherwise)
#}
{% test references(model, columns) %}
{%- for column, target in columns.items() %}
{%- set parent, _, field = target.partition('.') %}
{%- set field = field or column %}
select '{{ column }}' as column_name, '{{ parent }}.{{ field }}' as referenced, cast(child.value as varchar) as missing_value
from (select distinct {{ column }} as value from {{ model }} where {{ column }} is not null) as child
where not exists (select 1 from {{ ref(parent) }} as p where p.{{ field }} = child.value)
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endtest %}
