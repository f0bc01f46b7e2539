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
