{{ config(materialized='view', tags=['validated_at_publish']) }}
-- One row per district per reporting month (district workbooks, template 2024.1, up to 06/2025): the district's
-- briefing figures. A district-month that failed a critical check is held back: its row says 'failed' and carries
-- no figures. From 07/2025 communes report: mart_commune_briefing.
{% call unit_briefing('district', ['district_code']) %}
        1 as districts_expected,
        1 as districts_reported,
{% endcall %}
