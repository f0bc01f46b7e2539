{{ config(materialized='view', tags=['validated_at_publish']) }}
-- One row per province of today's map (the 34 provinces from 07/2025) x month x where the figures come from: the
-- province's figures as reported in the commune era, and, for the months before it (from 2021), the legacy
-- figures restated to today's map: the legacy xã of each legacy province now inside it (through the crosswalk:
-- a legacy commune goes with its default 2025 successor). NTM status does not carry over to a merged commune, so a
-- restated row counts legacy communes ("of the 95 legacy xã now in Thái Nguyên that came from Bắc Kạn, 32 were NTM
-- in 12/2023"), never a 2025 commune's status. Figures as reported in their own geography stay in
-- mart_province_briefing, never rewritten. Units held back by a critical check are left out, as in the briefings.
{#- A legacy row's province on today's map: its commune's default 2025 successor's, else where most of its legacy
    province went (a commune the crosswalk lacks, a product without a commune). -#}
{% set todays_province = 'coalesce(successors.province_code_2025, province_successors.province_code_2025)' %}
{% set on_todays_map = 'left join successors on successors.legacy_commune_code = {0}.commune_code\n'
    ~ '    left join province_successors on province_successors.legacy_province_code = {0}.province_code' %}

with held_back as (
    select reporting_unit_code, period_month
    from {{ ref('int_validation__unit_status') }}
    where reporting_unit_code is not null and validation_status = 'failed'
),

months as (
    select * from {{ ref('int_unit_months__loaded') }}
    anti join held_back using (reporting_unit_code, period_month)
),

legacy_months as (  -- the months restated: the district era, from 2021
    select reporting_unit_code, period_month
    from months
    where reporting_unit_level = 'district' and period_month >= date '2021-01-01'
),

successors as (
    select legacy_commune_code, province_code_2025
    from {{ ref('stg_admin_units__crosswalk_2025') }}
    where is_default
),

province_successors as (
    -- a legacy province's 2025 province: where most of its communes went (for a commune the crosswalk lacks)
    select legacy_province_code, mode(province_code_2025) as province_code_2025
    from {{ ref('stg_admin_units__crosswalk_2025') }}
    where is_default
    group by all
),

legacy_communes as (
    select
        {{ todays_province }} as province_code,
        status.period_month,
        status.province_code as source_province_code,
        status.criteria_set_code,
        count(*) as communes_reported,
        count_if(status.is_ntm) as communes_ntm,
        count_if(status.is_ntm_advanced) as communes_ntm_advanced,
        count_if(status.is_ntm_model) as communes_ntm_model,
        count_if(status.is_ntm_modern) as communes_ntm_modern,
        count_if(status.criteria_met = status.criteria_in_set) as communes_all_criteria
    from {{ ref('int_commune_status__derived') }} as status
    inner join legacy_months using (reporting_unit_code, period_month)
    {{ on_todays_map.format('status') }}
    group by all
),

legacy_products as (
    select
        {{ todays_province }} as province_code,
        products.period_month,
        products.province_code as source_province_code,
        count_if(products.is_valid) as ocop_products,
        count_if(products.is_valid and products.current_stars = 3) as ocop_3_star,
        count_if(products.is_valid and products.current_stars = 4) as ocop_4_star,
        count_if(products.is_valid and products.current_stars = 5) as ocop_5_star
    from {{ ref('int_ocop_products__as_of_month') }} as products
    inner join legacy_months using (reporting_unit_code, period_month)
    {{ on_todays_map.format('products') }}
    group by all
),

restated as (
    select
        coalesce(communes.province_code, products.province_code) as province_code,
        coalesce(communes.period_month, products.period_month) as period_month,
        'restated' as figure_basis,
        coalesce(communes.source_province_code, products.source_province_code) as source_province_code,
        'district' as reporting_unit_level,
        communes.criteria_set_code,
        coalesce(communes.communes_reported, 0) as communes_reported,
        coalesce(communes.communes_ntm, 0) as communes_ntm,
        coalesce(communes.communes_ntm_advanced, 0) as communes_ntm_advanced,
        coalesce(communes.communes_ntm_model, 0) as communes_ntm_model,
        coalesce(communes.communes_ntm_modern, 0) as communes_ntm_modern,
        coalesce(communes.communes_all_criteria, 0) as communes_all_criteria,
        coalesce(products.ocop_products, 0) as ocop_products,
        coalesce(products.ocop_3_star, 0) as ocop_3_star,
        coalesce(products.ocop_4_star, 0) as ocop_4_star,
        coalesce(products.ocop_5_star, 0) as ocop_5_star
    from legacy_communes as communes
    full outer join legacy_products as products using (province_code, period_month, source_province_code)
),

as_reported as (
    select
        province_code,
        period_month,
        'as_reported' as figure_basis,
        province_code as source_province_code,
        reporting_unit_level,
        criteria_set_code,
        communes_total as communes_reported,
        communes_ntm,
        communes_ntm_advanced,
        communes_ntm_model,
        communes_ntm_modern,
        communes_all_criteria,
        ocop_products,
        ocop_3_star,
        ocop_4_star,
        ocop_5_star
    from {{ ref('mart_province_briefing') }}
    where reporting_unit_level = 'commune'
),

provinces as (
    select unit_code, unit_name, valid_from, valid_until
    from {{ ref('stg_admin_units__versions') }}
    where unit_level = 'province'
),

final as (
    select
        rows.province_code,
        rows.period_month,
        rows.figure_basis,
        rows.source_province_code,
        rows.reporting_unit_level,
        rows.criteria_set_code,
        rows.communes_reported::integer as communes_reported,
        rows.communes_ntm::integer as communes_ntm,
        rows.communes_ntm_advanced::integer as communes_ntm_advanced,
        rows.communes_ntm_model::integer as communes_ntm_model,
        rows.communes_ntm_modern::integer as communes_ntm_modern,
        rows.communes_all_criteria::integer as communes_all_criteria,
        rows.ocop_products::integer as ocop_products,
        rows.ocop_3_star::integer as ocop_3_star,
        rows.ocop_4_star::integer as ocop_4_star,
        rows.ocop_5_star::integer as ocop_5_star,
        case rows.figure_basis
            when 'restated' then
                'Số liệu quy đổi theo địa giới hiện nay: ' || rows.communes_reported || ' xã cũ của '
                || coalesce(source.unit_name, 'tỉnh ' || rows.source_province_code) || ' nay thuộc '
                || coalesce(today.unit_name, 'tỉnh ' || rows.province_code) || '; ' || rows.communes_ntm
                || ' xã đạt chuẩn NTM tháng ' || strftime(rows.period_month, '%m/%Y')
            else 'Số liệu báo cáo của ' || rows.communes_reported || ' xã (địa giới từ 01/07/2025)'
        end as label_vi
    from (
        select * from restated
        union all
        select * from as_reported
    ) as rows
    left join provinces as source
        on source.unit_code = rows.source_province_code
        and last_day(rows.period_month) between source.valid_from and source.valid_until
    left join provinces as today
        on today.unit_code = rows.province_code
        and date '2025-07-01' between today.valid_from and today.valid_until
)

select * from final
