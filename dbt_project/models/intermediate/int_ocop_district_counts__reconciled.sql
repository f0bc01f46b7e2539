-- One row per district per month: OCOP products counted from the B04 detail beside the
-- counts the district reported in TongHop. Validated by expectations/ocop_star_counts.py.
with months as (
    select * from {{ ref('int_district_months__loaded') }}
),

products as (
    select * from {{ ref('int_ocop_products__as_of_month') }}
),

reported as (
    select * from {{ ref('int_district_totals__pivoted') }}
),

detail as (
    select
        district_code,
        period_month,
        count_if(is_valid) as detail_ocop_products,
        count_if(is_valid and current_stars = 3) as detail_3_star,
        count_if(is_valid and current_stars = 4) as detail_4_star,
        count_if(is_valid and current_stars = 5) as detail_5_star
    from products
    group by all
),

final as (
    select
        months.province_code,
        months.district_code,
        months.period_month,
        coalesce(detail.detail_ocop_products, 0)::integer as detail_ocop_products,
        coalesce(detail.detail_3_star, 0)::integer as detail_3_star,
        coalesce(detail.detail_4_star, 0)::integer as detail_4_star,
        coalesce(detail.detail_5_star, 0)::integer as detail_5_star,
        reported.reported_ocop_products::integer as reported_ocop_products,
        reported.reported_ocop_3_star::integer as reported_3_star,
        reported.reported_ocop_4_star::integer as reported_4_star,
        reported.reported_ocop_5_star::integer as reported_5_star,
        (reported.reported_ocop_3_star + reported.reported_ocop_4_star + reported.reported_ocop_5_star)::integer
            as reported_star_sum
    from months
    left join detail using (district_code, period_month)
    left join reported using (district_code, period_month)
)

select * from final
