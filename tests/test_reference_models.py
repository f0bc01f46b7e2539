"""The dbt nodes that read reference data alone, and when a build leaves them out
(orchestration/defs/transform/reference_models.py; a run that does: tests/test_resubmission.py)."""

from __future__ import annotations

import json

import duckdb
import pytest

from ingestion.schema import MIGRATIONS_DIR
from orchestration.defs.transform import reference_models
from orchestration.defs.transform.project import dbt_project

VARS = json.dumps({"warehouse": "warehouse.duckdb"})


@pytest.fixture(scope="module")
def manifest(dbt_manifest) -> dict:
    return json.loads(dbt_manifest.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nodes(manifest) -> list[str]:
    return reference_models.reference_nodes(manifest)


def _name(unique_id: str) -> str:
    return unique_id.split(".")[2]


def test_the_reference_nodes_are_the_seeds_and_what_reads_them_and_the_units_alone(manifest, nodes):
    names = {_name(n) for n in nodes}
    seeds = {_name(n) for n, node in manifest["nodes"].items() if node["resource_type"] == "seed"}
    assert seeds <= names  # every seed, and their checks
    assert {"dim_admin_unit", "dim_province", "dim_period", "stg_admin_units__units", "checks_dim_admin_unit"} <= names
    # nothing made from a workbook or an audit table: a fact, a mart, a staging view of a raw sheet, their tests
    assert not {"fct_ocop_certification", "mart_province_briefing", "stg_workbook__covers", "dim_commune"} & names
    assert not {"checks_fct_ocop_certification", "assert_districts_sum_to_province"} & names
    # a test of a fact's references to a dimension reads the fact: it stays in every build
    parents = {n: set(node["depends_on"]["nodes"]) for n, node in manifest["nodes"].items()
               if node["resource_type"] == "test"}  # fmt: skip
    mixed = [n for n, of in parents.items() if of & set(nodes) and not of <= set(nodes)]
    assert mixed and not set(mixed) & set(nodes)


def test_the_exclusion_names_each_node_by_its_whole_fqn_and_leaves_out_only_their_own_tests(manifest, nodes):
    flags = reference_models.exclusion(manifest, nodes)
    assert flags[:3] == ["--indirect-selection", "cautious", "--exclude"] and len(flags) == 4
    selectors = flags[3].split(" ")
    assert len(selectors) == len(nodes) and "fqn:ntm_ocop.marts.dim_admin_unit" in selectors


def _warehouse(path, manifest, nodes):
    """A warehouse with the reference source tables and every reference relation, as a build leaves it."""
    con = duckdb.connect(str(path))
    con.execute("create schema raw; create schema audit")
    con.execute("create table raw.admin_units as select 'a' as code, 1 as level union all select 'b', 2")
    con.execute("create table raw.commune_crosswalk_2025 as select 'a' as legacy_code, 'c' as code")
    for unique_id in nodes:
        node = manifest["nodes"][unique_id]
        if node["resource_type"] != "test":
            con.execute(f'create schema if not exists "{node["schema"]}"')
            con.execute(f'create table "{node["schema"]}"."{node.get("alias") or node["name"]}" (x int)')
    return con


def test_the_fingerprint_changes_with_the_units_rows_and_the_vars_and_is_stable_otherwise(manifest, nodes, tmp_path):
    with _warehouse(tmp_path / "w.duckdb", manifest, nodes) as con:
        first = reference_models.fingerprint(manifest, nodes, VARS, con, dbt_project.project_dir)
        assert reference_models.fingerprint(manifest, nodes, VARS, con, dbt_project.project_dir) == first
        assert reference_models.fingerprint(manifest, nodes, VARS.replace("warehouse.", "other."), con,
                                     dbt_project.project_dir) != first  # fmt: skip
        con.execute("update raw.admin_units set level = 3 where code = 'b'")  # a unit's row changed
        changed = reference_models.fingerprint(manifest, nodes, VARS, con, dbt_project.project_dir)
        assert changed != first
        con.execute("drop table raw.commune_crosswalk_2025")  # not loaded: never the fingerprint of a build
        assert reference_models.fingerprint(manifest, nodes, VARS, con, dbt_project.project_dir) not in (first, changed)


def test_a_changed_seed_or_macro_changes_the_fingerprint(manifest, nodes, tmp_path):
    with _warehouse(tmp_path / "w.duckdb", manifest, nodes) as con:
        first = reference_models.fingerprint(manifest, nodes, VARS, con, dbt_project.project_dir)
        edited = json.loads(json.dumps(manifest))
        seed = next(n for n in nodes if n.startswith("seed."))
        edited["nodes"][seed]["checksum"]["checksum"] = "0" * 64
        assert reference_models.fingerprint(edited, nodes, VARS, con, dbt_project.project_dir) != first
        edited = json.loads(json.dumps(manifest))
        macro = next(iter(edited["macros"]))
        edited["macros"][macro]["macro_sql"] += " "
        assert reference_models.fingerprint(edited, nodes, VARS, con, dbt_project.project_dir) != first


def test_a_dropped_relation_or_no_build_record_means_building_them_again(manifest, nodes, tmp_path):
    with _warehouse(tmp_path / "w.duckdb", manifest, nodes) as con:
        assert reference_models.missing_relations(manifest, nodes, con) == []
        assert reference_models.last_built(con) is None  # a warehouse from before the migration
        con.execute("drop table marts.dim_province")
        assert reference_models.missing_relations(manifest, nodes, con) == ["dim_province"]
        con.execute((MIGRATIONS_DIR / "010_reference_builds.sql").read_text(encoding="utf-8"))
        assert reference_models.last_built(con) is None  # migrated, nothing built yet
        con.execute("insert into audit.reference_builds values ('f1', 52, 'r1', '2026-01-01'), ('f2', 52, 'r2', "
                    "'2026-02-01')")  # fmt: skip
        assert reference_models.last_built(con) == ("f2", "r2")


def test_a_build_that_ran_each_reference_node_successfully_is_recorded_and_a_subset_is_not(nodes):
    results = {"results": [{"unique_id": n, "status": "pass" if n.startswith("test.") else "success"} for n in nodes]}
    assert reference_models.all_built(results, nodes)
    assert not reference_models.all_built({"results": results["results"][1:]}, nodes)  # one not built: a subset
    failed = {"results": [{**results["results"][0], "status": "error"}, *results["results"][1:]]}
    assert not reference_models.all_built(failed, nodes) and not reference_models.all_built(None, nodes)


def test_the_left_out_outputs_come_each_after_its_parents(manifest, nodes):
    ordered = reference_models.in_build_order(manifest, nodes)
    assert sorted(ordered) == nodes
    position = {n: i for i, n in enumerate(ordered)}
    for node in ordered:
        assert all(position[p] < position[node] for p in manifest["parent_map"][node] if p in position)
