{#
  Every data test of a model in one node: its keys, never-null columns, accepted values and references. dbt spends
  ~35 ms a node whatever its rows, and one node per column test made 153 of a build's 238 nodes; Dagster already
  showed a model's tests as one check (orchestration/defs/transform/dbt_tests.py). Each failing row names the check,
  the column(s) and the offending value, and the run prints the first of them when the test fails.

  Usage (model-level `data_tests:` of the model's .yml; every argument optional):
    - checks:
        arguments:
          unique: [file_sha256]                       # no two rows share a non-null value (dbt's `unique`)
          unique_key: [[reporting_unit_code, period_month]]   # no two rows share these values, nulls included
          not_null: [file_sha256, {column: parent_unit_key, where: "parent_level is not null"}]
          accepted_values: {stars: [3, 4, 5], level_code: [ntm, model]}   # a null passes, as in dbt's
          references: {district_code: dim_district, stated_in_month: dim_period.period_month}   # as `references`
  A number in accepted_values is compared as a number, anything else as text.
#}
{% test checks(model, unique=[], unique_key=[], not_null=[], accepted_values={}, references={}) %}
{%- set parts = [] %}
{%- for column in unique %}
{%- do parts.append(
    "select 'unique' as check_name, '" ~ column ~ "' as column_name, cast(" ~ column ~ " as varchar) as value"
    ~ " from " ~ model ~ " where " ~ column ~ " is not null group by " ~ column ~ " having count(*) > 1") %}
{%- endfor %}
{%- for columns in unique_key %}
{%- do parts.append(
    "select 'unique_key', '" ~ columns | join(', ') ~ "', concat_ws(' | ', " ~ columns | join(', ') ~ ")"
    ~ " from " ~ model ~ " group by " ~ columns | join(', ') ~ " having count(*) > 1") %}
{%- endfor %}
{%- for entry in not_null %}
{%- set column = entry.column if entry is mapping else entry %}
{%- set condition = (" and (" ~ entry.where ~ ")") if entry is mapping and entry.where else "" %}
{%- do parts.append(
    "select 'not_null', '" ~ column ~ "', null from " ~ model ~ " where " ~ column ~ " is null" ~ condition) %}
{%- endfor %}
{%- for column, values in accepted_values.items() %}
{%- set listed = [] %}
{%- for value in values %}
{%- do listed.append(value if value is number else "'" ~ value ~ "'") %}
{%- endfor %}
{%- do parts.append(
    "select 'accepted_values', '" ~ column ~ "', cast(" ~ column ~ " as varchar) from " ~ model
    ~ " where " ~ column ~ " not in (" ~ listed | join(', ') ~ ") group by " ~ column) %}
{%- endfor %}
{%- for column, target in references.items() %}
{%- set parent, _, field = target.partition('.') %}
{%- set field = field or column %}
{%- do parts.append(
    "select 'references " ~ parent ~ "." ~ field ~ "', '" ~ column ~ "', cast(child.value as varchar)"
    ~ " from (select distinct " ~ column ~ " as value from " ~ model ~ " where " ~ column ~ " is not null) as child"
    ~ " where not exists (select 1 from " ~ ref(parent) ~ " as p where p." ~ field ~ " = child.value)") %}
{%- endfor %}
{%- if not parts %}
{{ exceptions.raise_compiler_error("checks on " ~ model ~ ": no check given") }}
{%- endif %}
{{ parts | join("\nunion all\n") }}
{% endtest %}
