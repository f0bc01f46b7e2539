-- One row per commune per reporting month.
with status as (
    select * from {{ ref('int_commune_status__derived') }}
),

final as (
    select
        commune_code,
        district_code,
        province_code,
        period_month,
        criteria_set_code,
        criteria_in_set::integer as criteria_in_set,
        criteria_met::integer as criteria_met,
        criteria_met_reported,
        criteria_band,
        level_code,
        level_rank,
        is_ntm,
        is_ntm_advanced,
        is_ntm_model,
        year_ntm,
        year_advanced,
        year_model,
        is_ntm_new_in_year,
        is_ntm_advanced_new_in_year,
        is_ntm_model_new_in_year,
        is_maintaining,
        maintains_reported,
        file_sha256,
        row_number
    from status
)

select * from final
