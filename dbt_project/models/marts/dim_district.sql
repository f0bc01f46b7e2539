-- One row per district-level unit code of 2010-06/2025 (dissolved ones included: a workbook of their
-- months names them), in its latest version, plus a missing member ('-1'). rural_communes: the xã of
-- that version's last day. Every version, dated: dim_admin_unit.
with versions as (
    select * from {{ ref('stg_admin_units__versions') }}
    where era = 'legacy'
),

latest as (
    select * from versions
    where unit_level = 'district'
    qualify row_number() over (partition by unit_code order by valid_from desc) = 1
),

districts as (
    select
        latest.unit_code as district_code,
        any_value(latest.unit_name) as district_name,
        any_value(latest.unit_short_name) as district_short_name,
        any_value(latest.unit_type) as district_type,
        any_value(latest.parent_code) as province_code,
        count(communes.unit_code) filter (where communes.unit_type = 'Xã') as rural_communes
    from latest
    left join versions as communes
        on communes.unit_level = 'commune'
        and communes.parent_code = latest.unit_code
        and latest.valid_until between communes.valid_from and communes.valid_until
    group by latest.unit_code
),

missing_member as (
    select '-1', 'Không xác định', 'Không xác định', null, '-1', 0
),

final as (
    select
        md5(district_code) as district_sk,
        district_code,
        district_name,
        district_short_name,
        district_type,
        province_code,
        rural_communes::integer as rural_communes,
        rural_communes > 0 as has_rural_communes
    from (
        select * from districts
        union all
        select * from missing_member
    )
)

select * from final
