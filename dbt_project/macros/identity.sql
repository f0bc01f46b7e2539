{#- A legacy commune's main 2025 commune (the one that took its seat, or most of it): the crosswalk's default. -#}
{% macro default_successors() -%}
    select legacy_commune_code, commune_code_2025
    from {{ ref('stg_admin_units__crosswalk_2025') }}
    where is_default
{%- endmacro %}

{#- Where a product's producer is, on today's map: its commune, a legacy commune by the 2025 commune that absorbed it
    (so that a product listed by a district in 2023 and by the merged commune in 2026 is one product); the district
    only when the row leaves the commune out. `rows` is the alias of a relation with period_month, commune_code and
    district_code, joined to default_successors() as `successors`. One rule for certificates (B04) and dossiers
    (B08), so that a dossier and the certificate it leads to are one product. -#}
{% macro producer_place(rows) -%}
    coalesce(
        'xa:' || case
            when {{ rows }}.period_month < date '2025-07-01'
                then coalesce(successors.commune_code_2025, {{ rows }}.commune_code)
            else {{ rows }}.commune_code
        end,
        'huyen:' || {{ rows }}.district_code
    )
{%- endmacro %}
