{{ config(materialized='view', tags=['validated_at_publish']) }}
-- What each reporting unit is told about its month, one row per problem, in Vietnamese: the rows of the feedback
-- workbooks (data/reports/feedback/). A view over audit.unit_feedback, which the publish step writes just before it
-- copies the marts: the publication serves this run's feedback.
select
    province_code,
    period_month,
    reporting_unit_code,
    file_name,
    received_at,
    sheet,
    row_number,
    column_name,
    cell,
    value_found,
    problem_vi,
    consequence_vi,
    action_vi,
    kind,
    source
from {{ source('audit', 'unit_feedback') }}
