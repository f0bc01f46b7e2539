-- One row per district per reporting month: the ways its rows contradict each other, counted.
-- Validated by expectations/unit_consistency.py (critical: a commune written twice with
-- different values holds the district's month back from the briefing marts) and by
-- expectations/internal_consistency.py (warnings: counts against marks, disbursement against
-- allocation, stated rates against amounts; template 2024.2: a dossier recognised without its certificate in B04,
-- a district that says it maintains the district set while missing criteria of it).
with months as (
    select * from {{ ref('int_unit_months__loaded') }}
),

communes as (
    select
        reporting_unit_code,
        period_month,
        count_if(versions_in_month > 1) as communes_with_conflicting_versions,
        count_if(criteria_met_reported is not null and criteria_met_reported <> criteria_met)
            as communes_count_not_matching_marks
    from {{ ref('int_commune_criteria__checked') }}
    group by all
),

funds as (
    select
        reporting_unit_code,
        period_month,
        count_if(disbursed_mil_vnd > allocated_mil_vnd) as fund_rows_over_disbursed,
        count_if(
            disbursement_pct_reported is not null
            and abs(disbursement_pct_reported - 100.0 * disbursed_mil_vnd / nullif(allocated_mil_vnd, 0)) > 0.1
        ) as fund_rows_rate_not_matching
    from {{ ref('stg_workbook__fund_positions') }}
    group by all
),

dossiers as (
    -- B08 says a product reached "Công nhận": the same workbook's B04 lists its certificate (the spec)
    select
        dossiers.reporting_unit_code,
        dossiers.period_month,
        count(*) filter (where certificates.product_id is null) as dossiers_recognised_without_certificate
    from {{ ref('int_ocop_dossiers__identified') }} as dossiers
    left join (
        select distinct reporting_unit_code, period_month, product_id
        from {{ ref('int_ocop_certificates__identified') }}
    ) as certificates using (reporting_unit_code, period_month, product_id)
    where dossiers.stage_code = 'recognised'
    group by all
),

district_status as (
    select
        status.reporting_unit_code,
        status.period_month,
        count(*) filter (
            where status.is_recognised and status.maintains_reported and marks.criteria_not_met > 0
        ) as district_maintaining_but_missing_criteria
    from {{ ref('stg_workbook__district_status') }} as status
    inner join (
        select reporting_unit_code, period_month, count_if(not is_met) as criteria_not_met
        from {{ ref('stg_workbook__district_criterion_marks') }}
        group by all
    ) as marks using (reporting_unit_code, period_month)
    group by all
),

final as (
    select
        months.province_code,
        months.reporting_unit_code,
        months.district_code,
        months.period_month,
        coalesce(communes.communes_with_conflicting_versions, 0)::integer as communes_with_conflicting_versions,
        coalesce(communes.communes_count_not_matching_marks, 0)::integer as communes_count_not_matching_marks,
        coalesce(funds.fund_rows_over_disbursed, 0)::integer as fund_rows_over_disbursed,
        coalesce(funds.fund_rows_rate_not_matching, 0)::integer as fund_rows_rate_not_matching,
        coalesce(dossiers.dossiers_recognised_without_certificate, 0)::integer
            as dossiers_recognised_without_certificate,
        coalesce(district_status.district_maintaining_but_missing_criteria, 0)::integer
            as district_maintaining_but_missing_criteria,
        0 as allowed  -- every count above must be 0
    from months
    left join communes using (reporting_unit_code, period_month)
    left join funds using (reporting_unit_code, period_month)
    left join dossiers using (reporting_unit_code, period_month)
    left join district_status using (reporting_unit_code, period_month)
)

select * from final
