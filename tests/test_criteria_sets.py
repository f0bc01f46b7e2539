"""Criteria sets are data: a set is rows of four seeds, and the marts follow without a code change.

The test copies the dbt project, adds a made-up set (seed rows only: criteria_sets, set_criteria,
criteria_bands, set_levels), builds the criteria dimensions from it, and finds the set, its criteria, its bands
and its levels; the reader takes the set in force from the same seed files (ingestion/criteria.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import duckdb

from ingestion import criteria as criteria_module
from orchestration.defs.transform.project import DBT_EXECUTABLE

ROOT = Path(__file__).resolve().parents[1]
MADE_UP = "test-xa-2031-2035"


def append_rows(path: Path, rows: list[dict]) -> None:
    with path.open(encoding="utf-8") as handle:
        columns = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=columns, lineterminator="\n").writerows(rows)


def test_a_third_criteria_set_is_seed_rows_only(tmp_path, monkeypatch):
    project = tmp_path / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    seeds = project / "seeds"
    append_rows(
        seeds / "criteria_sets.csv",
        [{"set_code": MADE_UP, "unit_level": "commune", "valid_from": "2031-01-01", "valid_to": "2035-12-31",
          "criteria_in_set": "12", "has_commune_groups": "true", "decision": "made up for a test",
          "set_name_vi": "Bộ tiêu chí thử", "set_name_en": "A made-up set"}],
    )  # fmt: skip
    append_rows(
        seeds / "set_criteria.csv",
        [{"set_code": MADE_UP, "criterion_number": n, "criterion_name_vi": f"Tiêu chí thử {n}"} for n in range(1, 13)],
    )
    append_rows(
        seeds / "criteria_bands.csv",
        [
            {"set_code": MADE_UP, "band_code": "12", "min_criteria": 12, "max_criteria": 12, "sort_order": 1},
            {"set_code": MADE_UP, "band_code": "under 12", "min_criteria": 0, "max_criteria": 11, "sort_order": 2},
        ],
    )
    append_rows(seeds / "set_levels.csv", [{"set_code": MADE_UP, "level_code": c} for c in ("not_yet", "ntm")])
    warehouse = tmp_path / "warehouse.duckdb"
    build = subprocess.run(
        [str(DBT_EXECUTABLE), "build", "--project-dir", str(project), "--profiles-dir", str(project),
         "--vars", f'{{"warehouse": "{warehouse}"}}',
         "--select", "+dim_criteria_set", "+dim_set_criterion", "+dim_criteria_band",
         "assert_criteria_bands_partition_each_set", "--indirect-selection", "cautious"],
        capture_output=True, text=True, cwd=project,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sets = dict(con.execute("select criteria_set_code, criteria_in_set from marts.dim_criteria_set").fetchall())
        levels = con.execute(
            "select levels_in_set from marts.dim_criteria_set where criteria_set_code = ?", [MADE_UP]
        ).fetchall()
        criteria = con.execute(
            "select count(*) from marts.dim_set_criterion where criteria_set_code = ?", [MADE_UP]
        ).fetchall()
        bands = con.execute(
            "select band_code from marts.dim_criteria_band where criteria_set_code = ? order by sort_order", [MADE_UP]
        ).fetchall()
    assert sets == {
        "ntm-xa-2010-2015": 19,
        "ntm-xa-2010-2015-sd2013": 19,  # the 2013 amendment (342/QĐ-TTg) as a version
        "ntm-xa-2016-2020": 19,
        "ntm-xa-2021-2025": 19,
        "ntm-xa-2026-2030": 10,
        "ntm-xa-nang-cao-2021-2025": 19,  # the advanced set (template 2024.2's B01N)
        "ntm-huyen-2021-2025": 9,  # the district set (B07)
        MADE_UP: 12,
    }
    assert criteria == [(12,)] and bands == [("12",), ("under 12",)] and levels == [("not_yet, ntm",)]
    # the reader's set in force comes from the same rows: a 2032 workbook may number criteria 1-12, levels as listed
    monkeypatch.setattr(criteria_module, "seeds_dir", lambda: seeds)
    criteria_module.criteria_sets.cache_clear()
    try:
        in_force = criteria_module.set_in_force(dt.date(2032, 3, 1))
        assert in_force.code == MADE_UP and in_force.criteria == tuple(range(1, 13))
        assert in_force.levels == {"not_yet", "ntm"}
    finally:
        criteria_module.criteria_sets.cache_clear()


def test_bands_that_leave_a_gap_fail_the_build(tmp_path):
    """The singular test guards the seeds: a set whose bands miss a number of criteria does not build."""
    project = tmp_path / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    append_rows(
        project / "seeds" / "criteria_sets.csv",
        [{"set_code": MADE_UP, "unit_level": "commune", "valid_from": "2031-01-01", "criteria_in_set": "12"}],
    )
    append_rows(
        project / "seeds" / "criteria_bands.csv",
        [{"set_code": MADE_UP, "band_code": "12", "min_criteria": 12, "max_criteria": 12, "sort_order": 1}],
    )
    build = subprocess.run(
        [str(DBT_EXECUTABLE), "build", "--project-dir", str(project), "--profiles-dir", str(project),
         "--vars", f'{{"warehouse": "{tmp_path / "w.duckdb"}"}}',
         "--select", "criteria_sets", "criteria_bands", "assert_criteria_bands_partition_each_set"],
        capture_output=True, text=True, cwd=project,
    )  # fmt: skip
    assert build.returncode != 0
    assert "assert_criteria_bands_partition_each_set" in build.stdout
