"""docs/briefing-figures.md maps every figure of the five briefings: its counts are the table's, and every figure
it says a mart column produces names columns the marts' contracts have."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "briefing-figures.md"
STATUSES = {"exact", "query", "none"}


def contracts() -> dict[str, set[str]]:
    models = {}
    for path in (ROOT / "dbt_project" / "models" / "marts").glob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            models[model["name"]] = {c["name"] for c in model["columns"]}
    return models


def figure_rows() -> list[dict[str, str]]:
    rows = []
    for line in DOC.read_text().splitlines():
        if re.match(r"^\| [A-Z]{2}-\d+ \|", line):
            number, figure, value, before, now, where = (c.strip() for c in line.strip("|").split(" | "))
            rows.append({"id": number, "figure": figure, "value": value, "before": before, "now": now, "where": where})
    return rows


def test_every_briefing_has_its_figures_each_row_once():
    rows = figure_rows()
    assert {r["id"].split("-")[0] for r in rows} == {"TH", "BK", "HT", "QN", "CT"}  # the five briefings
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["before"] in STATUSES and r["now"] in STATUSES for r in rows)


def test_the_counts_are_the_tables():
    rows = figure_rows()
    text = DOC.read_text()
    for label, key in (("before (template 2024.1)", "before"), ("now (template 2024.2)", "now")):
        counted = Counter(r[key] for r in rows)
        stated = re.search(rf"^\| {re.escape(label)} \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", text, re.M)
        assert stated, label
        assert tuple(int(n) for n in stated.groups()) == (
            counted["exact"],
            counted["query"],
            counted["none"],
            len(rows),
        ), label


def test_an_exact_figure_names_columns_the_contracts_have():
    models = contracts()
    for row in figure_rows():
        named = re.findall(r"`(\w+)\.(\w+)`", row["where"])
        if row["now"] == "exact":
            assert named, f"{row['id']}: an exact figure names its mart column"
        for model, column in named:
            assert column in models.get(model, set()), f"{row['id']}: {model}.{column} is not a published column"
        for model in re.findall(r"`((?:mart|fct|dim)_\w+)`", row["where"]):
            assert model in models, f"{row['id']}: {model} is not a public model"


def test_a_figure_produced_now_was_not_lost():
    """Template 2024.2 adds: nothing produced before is produced worse now."""
    rank = {"exact": 0, "query": 1, "none": 2}
    worse = [r["id"] for r in figure_rows() if rank[r["now"]] > rank[r["before"]]]
    assert worse == []
