{{ config(materialized='view', tags=['validated_at_publish']) }}
-- One row per commune per reporting month (commune workbooks, template 2026.1, from 07/2025): the commune's
-- briefing figures, in the place mart_district_briefing has for the district era. A commune-month that failed a
-- critical check is held back: its row says 'failed' and carries no figures. Columns as the other briefing marts
-- (a commune's communes_total is 1: itself; a ward's 0), and the commune's group.
{% call unit_briefing('commune', ['commune_code'], after_month=['commune_group']) %}{% endcall %}
