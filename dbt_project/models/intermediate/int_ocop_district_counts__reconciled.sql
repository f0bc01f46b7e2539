-- One row per district per month: OCOP products counted from the B04 detail (the same counts
-- the briefing marts publish) beside the counts the district reported in TongHop. Validated by
-- expectations/ocop_star_counts.py.
with measures as (
    select * from {{ ref('int_district_month__measures') }}
),

reported as (
    select * from {{ ref('int_district_totals__pivoted') }}
),

final as (
    select
        measures.province_code,
        measures.district_code,
        measures.period_month,
        measures.ocop_products::integer as detail_ocop_products,
        measures.ocop_3_star::integer as detail_3_star,
        measures.ocop_4_star::integer as detail_4_star,
        measures.ocop_5_star::integer as detail_5_star,
        reported.reported_ocop_products::integer as reported_ocop_products,
        reported.reported_ocop_3_star::integer as reported_3_star,
        reported.reported_ocop_4_star::integer as reported_4_star,
        reported.reported_ocop_5_star::integer as reported_5_star,
        (reported.reported_ocop_3_star + reported.reported_ocop_4_star + reported.reported_ocop_5_star)::integer
            as reported_star_sum
    from measures
    left join reported using (district_code, period_month)
)

select * from final
