-- The query of every `query` row of docs/briefing-figures.md, on the public marts (the serving database, or the
-- working warehouse's `marts` schema). Each block: `-- <row>[, <row>…]: <figure>`, then one statement with two parameters,
-- $province (the province's code) and $month (the briefing's month, its first day), the briefing's own when the
-- test runs it (tests/test_briefing_figures.py runs every block, and compares Bắc Kạn's with the value the map
-- gives, on the sample: sample data, never the province's own workbooks). DuckDB SQL; in Python:
--   con.execute(sql, {"province": "06", "month": datetime.date(2023, 12, 1)})

-- TH-1: central budget, development investment, 2021-2023 (million đồng; the briefing says tỷ)
select sum(allocated_mil_vnd) as allocated_mil_vnd
from marts.mart_fund_disbursement
where geo_level = 'province' and province_code = $province and period_month = $month
    and plan_year between 2021 and 2023 and fund_source_code = 'central_investment';

-- TH-2: central budget, recurrent (sự nghiệp), 2021-2023
select sum(allocated_mil_vnd) as allocated_mil_vnd
from marts.mart_fund_disbursement
where geo_level = 'province' and province_code = $province and period_month = $month
    and plan_year between 2021 and 2023 and fund_source_code = 'central_recurrent';

-- TH-3: provincial budget 2021-2023
select sum(allocated_mil_vnd) as allocated_mil_vnd
from marts.mart_fund_disbursement
where geo_level = 'province' and province_code = $province and period_month = $month
    and plan_year between 2021 and 2023 and fund_source_code = 'provincial';

-- TH-4: disbursement of 2021 capital, state budget sources (%)
select round(100 * sum(d.disbursed_mil_vnd) / nullif(sum(d.allocated_mil_vnd), 0), 2) as disbursement_pct
from marts.mart_fund_disbursement as d
join marts.dim_fund_source as s using (fund_source_code)
where d.geo_level = 'province' and d.province_code = $province and d.period_month = $month
    and d.plan_year = 2021 and s.is_state_budget;

-- TH-5: disbursement of 2022 capital, state budget sources (%)
select round(100 * sum(d.disbursed_mil_vnd) / nullif(sum(d.allocated_mil_vnd), 0), 2) as disbursement_pct
from marts.mart_fund_disbursement as d
join marts.dim_fund_source as s using (fund_source_code)
where d.geo_level = 'province' and d.province_code = $province and d.period_month = $month
    and d.plan_year = 2022 and s.is_state_budget;

-- TH-13: the district-level units whose dossier is before the central appraisal council, by their name that month
select u.unit_name
from marts.fct_district_status as s
join marts.dim_admin_unit as u
    on u.unit_level = 'district' and u.unit_code = s.district_code
    and last_day(s.period_month) between u.valid_from and u.valid_until
where s.province_code = $province and s.period_month = $month and s.is_under_appraisal
order by u.unit_name;

-- TH-17: the export markets of the OCOP products valid that month
select distinct export_market
from marts.mart_ocop_products_by_month
where province_code = $province and period_month = $month and is_valid and export_market is not null
order by export_market;

-- TH-32: district-level units recognised NTM (đạt chuẩn), those that completed the task left out
select count(*) as districts_ntm
from marts.fct_district_status
where province_code = $province and period_month = $month and is_recognised and level_code <> 'completed';

-- TH-38: Thạch Thành (district 391): its communes and towns valid that month
select count(*) as communes
from marts.dim_admin_unit
where unit_level = 'commune' and parent_level = 'district' and parent_code = '391'
    and last_day($month) between valid_from and valid_until;

-- TH-40: Thạch Thành (district 391): new OCOP products of each year, as of each December loaded
select extract(year from period_month) as year, ocop_new_in_year
from marts.mart_district_briefing
where province_code = $province and district_code = '391' and extract(month from period_month) = 12
order by year;

-- BK-3: villages recognised NTM in the year (and the plan for them)
select
    (select count(*) from marts.fct_village_status
     where province_code = $province and period_month = $month and is_ntm and is_new_in_year) as villages_ntm_new,
    (select sum(planned_value) from marts.fct_plan_target
     where province_code = $province and target_code = 'THON_NTM'
         and plan_year = extract(year from cast($month as date))
         and stated_in_month = $month) as plan_villages_ntm;

-- BK-9: average criteria met, change on the same month of the year before
select round(now.avg_criteria_met - before.avg_criteria_met, 2) as avg_criteria_met_change
from marts.mart_province_briefing as now
join marts.mart_province_briefing as before
    on before.province_code = now.province_code and before.period_month = now.period_month - interval 1 year
where now.province_code = $province and now.period_month = $month;

-- BK-11, BK-12, BK-13: communes by advanced criteria met, in the bands 10-14, 5-9 and under 5 (one row a band)
with met as (
    select commune_code, criteria_set_code, count(*) filter (where is_met) as criteria_met
    from marts.fct_commune_advanced_criteria
    where province_code = $province and period_month = $month
    group by all
)
select b.band_code, count(*) as communes
from met join marts.dim_criteria_band as b
    on b.criteria_set_code = met.criteria_set_code and met.criteria_met between b.min_criteria and b.max_criteria
group by b.band_code, b.sort_order
order by b.sort_order;

-- BK-16: re-evaluated products kept at 3★
select count(*) as products
from marts.fct_ocop_dossier
where province_code = $province and period_month = $month
    and dossier_type = 'reevaluation' and not is_failed and stars_proposed = 3;

-- BK-17: products newly rated in the round
select count(*) as products
from marts.fct_ocop_dossier
where province_code = $province and period_month = $month
    and dossier_type = 'new' and is_evaluated and not is_failed;

-- BK-18: … of which 4★
select count(*) as products
from marts.fct_ocop_dossier
where province_code = $province and period_month = $month
    and dossier_type = 'new' and is_evaluated and not is_failed and stars_proposed = 4;

-- BK-19: … of which 3★
select count(*) as products
from marts.fct_ocop_dossier
where province_code = $province and period_month = $month
    and dossier_type = 'new' and is_evaluated and not is_failed and stars_proposed = 3;

-- BK-24: the districts with no NTM commune, by name
select d.district_name
from marts.mart_district_briefing as b
join marts.dim_district as d using (district_code)
where b.province_code = $province and b.period_month = $month and b.communes_ntm = 0
order by d.district_name;

-- BK-25: the products proposed for 4★ in the round (before the decision that certifies them)
select product_name
from marts.fct_ocop_dossier
where province_code = $province and period_month = $month and not is_failed and stars_proposed = 4
order by product_name;

-- BK-26: the producers of the round's 4★ products
select count(distinct producer_id) as producers
from marts.fct_ocop_dossier
where province_code = $province and period_month = $month and not is_failed and stars_proposed = 4;

-- HT-8: the products valid that month that are exported, by name
select product_name, export_market
from marts.mart_ocop_products_by_month
where province_code = $province and period_month = $month and is_valid and export_market is not null
order by product_name;

-- HT-19: the district-level units planned to reach NTM in the year, by name, with their status that month
select u.unit_name, s.level_code, s.is_recognised
from marts.fct_plan_target as p
join marts.dim_admin_unit as u
    on u.unit_level = 'district' and u.unit_code = p.district_code
    and last_day(cast($month as date)) between u.valid_from and u.valid_until
left join marts.fct_district_status as s
    on s.district_code = p.district_code and s.period_month = p.stated_in_month
where p.province_code = $province and p.target_code = 'HUYEN_NTM' and p.stated_in_month = $month
    and p.plan_year = extract(year from cast($month as date)) and p.planned_value > 0
order by u.unit_name;

-- QN-1: the district-level units valid that month (a unit of the month's list, with or without a xã)
select count(*) as district_units
from marts.dim_admin_unit
where unit_level = 'district' and parent_code = $province
    and last_day(cast($month as date)) between valid_from and valid_until;

-- QN-6: products past registration and not failed in the round
select count(*) as products
from marts.fct_ocop_dossier
where province_code = $province and period_month = $month and stage_code <> 'registered' and not is_failed;

-- QN-9: communes not yet NTM with every criterion of the month's set met
select count(*) as communes
from marts.mart_commune_progress as p
join marts.dim_criteria_set as s using (criteria_set_code)
where p.province_code = $province and p.period_month = $month and p.level_code = 'not_yet'
    and p.criteria_met = s.criteria_in_set;
