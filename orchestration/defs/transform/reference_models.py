"""The dbt nodes that read reference data alone, and when a build may leave them out.

About a third of the build's nodes (the seeds, the models made from them and from the administrative units, and
their tests) read no workbook and no audit table: a run that loads a month, a resubmission or a rebuild does not
change what they make. A build leaves them out when all they are made from is as it was when a build last made
them: their SQL, configuration and seed files, every macro, dbt's version, the project file (its vars), the build's
--vars, and the rows of the administrative-unit tables; and when every table and view they made is still in the
warehouse. That build's fingerprint is kept in audit.reference_builds (docs/run-flow.md, "Reference models").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The sources whose rows do not come from the months' workbooks: any other source (a new one too) counts as data.
REFERENCE_SOURCES = frozenset({"admin_units"})
NODE_TYPES = ("model", "seed", "test")


def reference_nodes(manifest: Mapping[str, Any]) -> list[str]:
    """The unique ids of the models, seeds and data tests whose every ancestor is a seed or a reference source."""
    parents, memo = manifest["parent_map"], {}

    def reads_data(unique_id: str) -> bool:
        if unique_id not in memo:
            memo[unique_id] = True  # a cycle or an unknown node counts as data
            if unique_id in manifest["sources"]:
                memo[unique_id] = manifest["sources"][unique_id]["source_name"] not in REFERENCE_SOURCES
            elif unique_id in manifest["nodes"]:
                memo[unique_id] = any(reads_data(p) for p in parents.get(unique_id, []))
        return memo[unique_id]

    return sorted(
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in NODE_TYPES and not reads_data(unique_id)
    )


def in_build_order(manifest: Mapping[str, Any], nodes: list[str]) -> list[str]:
    """The nodes, each after its parents among them (the order Dagster takes a multi-asset's outputs in)."""
    among, done, ordered = set(nodes), set(), []

    def visit(unique_id: str) -> None:
        if unique_id in done:
            return
        done.add(unique_id)
        for parent in sorted(manifest["parent_map"].get(unique_id, [])):
            if parent in among:
                visit(parent)
        ordered.append(unique_id)

    for unique_id in nodes:
        visit(unique_id)
    return ordered


def _reference_tables(manifest: Mapping[str, Any], nodes: list[str]) -> list[tuple[str, str]]:
    """(schema, table) of each reference source table the nodes read."""
    sources = {p for n in nodes for p in manifest["parent_map"].get(n, []) if p in manifest["sources"]}
    return sorted((manifest["sources"][s]["schema"], manifest["sources"][s]["identifier"]) for s in sources)


def fingerprint(manifest: Mapping[str, Any], nodes: list[str], build_vars: str, con, project_dir: Path) -> str:
    """What the reference nodes are made from, hashed (`con`: the warehouse, read for the reference tables' rows;
    `project_dir`: the dbt project's folder, for its project file and seed files)."""
    digest = hashlib.sha256()

    def add(value: Any) -> None:
        digest.update(json.dumps(value, sort_keys=True, default=str).encode())
        digest.update(b"\n")

    add(["dbt", manifest["metadata"].get("dbt_version"), "vars", build_vars])
    add(["project", hashlib.sha256((Path(project_dir) / "dbt_project.yml").read_bytes()).hexdigest()])
    for unique_id in nodes:
        node = manifest["nodes"][unique_id]
        seed = None
        if node["resource_type"] == "seed":  # dbt's checksum of a seed over 1 MiB is its path: hash the file
            seed = hashlib.sha256((Path(project_dir) / node["original_file_path"]).read_bytes()).hexdigest()
        add([unique_id, node["checksum"], node["config"], node.get("test_metadata"), node["depends_on"], seed])
    for unique_id, macro in sorted(manifest["macros"].items()):
        add([unique_id, hashlib.sha256(macro["macro_sql"].encode()).hexdigest()])
    present = _tables(con)
    for schema, table in _reference_tables(manifest, nodes):
        if (schema.lower(), table.lower()) not in present:  # not loaded yet: nothing to match
            add([schema, table, "missing"])
            continue
        rows = con.execute(f'select count(*), coalesce(sum(hash(t)), 0) from "{schema}"."{table}" t').fetchone()
        add([schema, table, *rows])
    return digest.hexdigest()


def missing_relations(manifest: Mapping[str, Any], nodes: list[str], con) -> list[str]:
    """The reference models and seeds whose table or view is not in the warehouse."""
    present = _tables(con)
    missing = []
    for unique_id in nodes:
        node = manifest["nodes"][unique_id]
        if node["resource_type"] == "test" or node["config"].get("materialized") == "ephemeral":
            continue
        if (node["schema"].lower(), (node.get("alias") or node["name"]).lower()) not in present:
            missing.append(node["name"])
    return missing


def _tables(con) -> set[tuple[str, str]]:
    rows = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
    return {(schema.lower(), table.lower()) for schema, table in rows}


def last_built(con) -> tuple[str, str] | None:
    """(fingerprint, run id) of the last build that made every reference node, if any."""
    if ("audit", "reference_builds") not in _tables(con):  # a warehouse the landing has not migrated yet
        return None
    return con.execute(
        "select fingerprint, run_id from audit.reference_builds order by built_at desc limit 1"
    ).fetchone()


def exclusion(manifest: Mapping[str, Any], nodes: list[str]) -> list[str]:
    """dbt's arguments that leave these nodes out of a whole build, each by its whole fqn (no other node matches it).
    Cautiously: dbt's default (eager) would leave out with a model every test touching it, a fact's test of its
    references to a dimension too; cautious leaves out only the tests whose every parent is left out."""
    return ["--indirect-selection", "cautious",
            "--exclude", " ".join("fqn:" + ".".join(manifest["nodes"][n]["fqn"]) for n in nodes)]  # fmt: skip


def all_built(run_results: Mapping[str, Any] | None, nodes: list[str]) -> bool:
    """Whether the build ran every reference node, each successfully (a build of a subset may not have)."""
    status = {r["unique_id"]: r["status"] for r in (run_results or {}).get("results", [])}
    return all(status.get(n) in ("success", "pass") for n in nodes)
