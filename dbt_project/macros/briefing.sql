{#- The briefing figures, from a relation of additive measures (int_district_month__measures
    or its sum over a province). Both briefing marts select these, so they cannot drift. -#}
{% macro briefing_figures() -%}
        communes_total::integer as communes_total,
        communes_ntm::integer as communes_ntm,
        communes_ntm_advanced::integer as communes_ntm_advanced,
        communes_ntm_model::integer as communes_ntm_model,
        communes_ntm_new_in_year::integer as communes_ntm_new_in_year,
        communes_ntm_advanced_new_in_year::integer as communes_ntm_advanced_new_in_year,
        communes_ntm_model_new_in_year::integer as communes_ntm_model_new_in_year,
        plan_communes_ntm::integer as plan_communes_ntm,
        plan_communes_ntm_advanced::integer as plan_communes_ntm_advanced,
        plan_communes_ntm_model::integer as plan_communes_ntm_model,
        {{ pct('communes_ntm_new_in_year', 'plan_communes_ntm', 1) }}::double as pct_plan_communes_ntm,
        {{ ratio('criteria_met_sum', 'communes_total', 2) }}::double as avg_criteria_met,
        communes_19_criteria::integer as communes_19_criteria,
        communes_15_18_criteria::integer as communes_15_18_criteria,
        communes_10_14_criteria::integer as communes_10_14_criteria,
        communes_5_9_criteria::integer as communes_5_9_criteria,
        communes_under_5_criteria::integer as communes_under_5_criteria,
        communes_not_maintaining::integer as communes_not_maintaining,
        villages_ntm::integer as villages_ntm,
        villages_model::integer as villages_model,
        ocop_products::integer as ocop_products,
        ocop_3_star::integer as ocop_3_star,
        ocop_4_star::integer as ocop_4_star,
        ocop_5_star::integer as ocop_5_star,
        ocop_new_in_year::integer as ocop_new_in_year,
        plan_ocop::integer as plan_ocop,
        {{ pct('ocop_new_in_year', 'plan_ocop', 1) }}::double as pct_plan_ocop,
        ocop_expired_not_recertified::integer as ocop_expired_not_recertified,
        ocop_exported::integer as ocop_exported,
        fund_allocated_mil_vnd::decimal(18, 3) as fund_allocated_mil_vnd,
        fund_disbursed_mil_vnd::decimal(18, 3) as fund_disbursed_mil_vnd,
        {{ pct('fund_disbursed_mil_vnd', 'fund_allocated_mil_vnd', 2) }}::double as fund_disbursement_pct
{%- endmacro %}

{#- The additive measures, summed (over the districts of a province). -#}
{% macro sum_measures() -%}
    {%- for column in [
        'communes_total', 'communes_ntm', 'communes_ntm_advanced', 'communes_ntm_model',
        'communes_ntm_new_in_year', 'communes_ntm_advanced_new_in_year', 'communes_ntm_model_new_in_year',
        'plan_communes_ntm', 'plan_communes_ntm_advanced', 'plan_communes_ntm_model', 'criteria_met_sum',
        'communes_19_criteria', 'communes_15_18_criteria', 'communes_10_14_criteria', 'communes_5_9_criteria',
        'communes_under_5_criteria', 'communes_not_maintaining', 'villages_ntm', 'villages_model', 'ocop_products', 'ocop_3_star', 'ocop_4_star',
        'ocop_5_star', 'ocop_new_in_year', 'plan_ocop', 'ocop_expired_not_recertified', 'ocop_exported',
        'fund_allocated_mil_vnd', 'fund_disbursed_mil_vnd'] %}
        sum({{ column }}) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
