"""The briefing measures, as declared once in dbt_project.yml (vars.briefing_measures).

The marts' SQL reads the same list (dbt_project/macros/briefing.sql); this module gives it to Python: the
briefing pack's headings and the CLI's labels. tests/test_measures.py keeps the marts' contracts and
docs/marts.md in step with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from publishing.dbt_location import dbt_project_dir


@dataclass(frozen=True)
class Measure:
    name: str
    type: str  # the DuckDB type of the marts' column
    kind: str  # additive | ratio
    vi: str  # the Vietnamese label (the pack)
    en: str  # the English label (the CLI)
    published: bool = True
    numerator: str | None = None
    denominator: str | None = None
    decimals: int | None = None
    percent: bool = False
    added: str | None = None  # the template version it was added with: published after validation_status
    optional: bool = False  # from an optional sheet: a province's sum is null unless every unit reported it

    @property
    def display_decimals(self) -> int:
        """Decimals shown: a ratio's own; an amount in million đồng, one; a count, none."""
        if self.decimals is not None:
            return self.decimals
        return 1 if self.type.startswith("decimal") else 0


@cache
def measures() -> dict[str, Measure]:
    project = yaml.safe_load((dbt_project_dir() / "dbt_project.yml").read_text(encoding="utf-8"))
    return {m["name"]: Measure(**m) for m in project["vars"]["briefing_measures"]}


def published() -> list[Measure]:
    """The briefing marts' measure columns, in their order."""
    return [m for m in measures().values() if m.published]


# The four briefing marts whose contracts carry every published measure, in the list's order (dbt_project.yml).
BRIEFING_MARTS = ("mart_province_briefing", "mart_district_briefing", "mart_commune_briefing", "mart_national_briefing")


def contract_column(measure: Measure) -> dict[str, str]:
    """A measure's column in a briefing mart's contract: its type from the list, its meaning from the one docs block
    (dbt_project/models/marts/_briefing_measures.md)."""
    return {
        "name": measure.name,
        "data_type": measure.type.replace(", ", ","),
        "description": f'{{{{ doc("measure__{measure.name}") }}}}',
    }


def contract_text(mart: str) -> str:
    """The mart's YAML with its measure columns as the list makes them (every other column as it stands)."""
    path = dbt_project_dir() / "models" / "marts" / f"{mart}.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    [model] = document["models"]
    declared = {m.name: m for m in published()}
    model["columns"] = [
        contract_column(declared[column["name"]]) if column["name"] in declared else column
        for column in model["columns"]
    ]
    return yaml.dump(document, sort_keys=False, allow_unicode=True, width=120)


def main(argv: list[str] | None = None) -> int:
    """`python -m publishing.measures [--check]`: write (or check) the briefing marts' measure columns."""
    import sys

    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for mart in BRIEFING_MARTS:
        path = dbt_project_dir() / "models" / "marts" / f"{mart}.yml"
        text = contract_text(mart)
        if path.read_text(encoding="utf-8") != text:
            stale.append(mart)
            if not check:
                path.write_text(text, encoding="utf-8")
    if check and stale:
        print(f"measure columns out of step with dbt_project.yml: {', '.join(stale)}; run `make contracts`")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
