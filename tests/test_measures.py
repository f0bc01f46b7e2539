"""The briefing measures are declared once (dbt_project.yml vars.briefing_measures); the rest follows or is checked."""

from __future__ import annotations

from pathlib import Path

import yaml

from publishing.measures import measures, published

ROOT = Path(__file__).resolve().parents[1]
MARTS = ROOT / "dbt_project" / "models" / "marts"


def contract_columns(model: str) -> dict[str, str]:
    [spec] = yaml.safe_load((MARTS / f"{model}.yml").read_text())["models"]
    return {c["name"]: c["data_type"].replace(" ", "").lower() for c in spec["columns"]}


def test_the_briefing_marts_publish_every_measure_in_order_with_its_type():
    for model in (
        "mart_province_briefing",
        "mart_district_briefing",
        "mart_commune_briefing",
        "mart_national_briefing",
    ):
        columns = contract_columns(model)
        in_contract = [(name, kind) for name, kind in columns.items() if name in measures()]
        assert in_contract == [(m.name, m.type.replace(" ", "").lower()) for m in published()], model
        # measures added later (`added` in dbt_project.yml) follow validation_status: earlier columns keep their places
        names = list(columns)
        if "validation_status" in names:
            after = names[names.index("validation_status") :]
            assert all((name in after) == bool(m.added) for m in published() for name in [m.name]), model


def test_every_measure_is_labelled_and_ratios_name_their_inputs():
    declared = measures()
    for m in declared.values():
        assert m.kind in {"additive", "ratio"} and m.vi and m.en, m.name
        if m.kind == "ratio":
            assert declared[m.numerator].kind == declared[m.denominator].kind == "additive", m.name
            assert m.decimals is not None, m.name


def test_docs_describe_every_published_measure():
    marts_doc = (ROOT / "docs" / "marts.md").read_text()
    missing = [m.name for m in published() if f"`{m.name}`" not in marts_doc]
    assert missing == []


def test_the_briefing_marts_measure_columns_are_written_from_the_list():
    """The four contracts' measure columns come from dbt_project.yml and one docs block each (`make contracts`):
    a measure typed by hand into a mart's YAML, or a new measure not written out yet, fails here."""
    from publishing.measures import BRIEFING_MARTS, contract_text

    for mart in BRIEFING_MARTS:
        assert (MARTS / f"{mart}.yml").read_text() == contract_text(mart), f"{mart}: run `make contracts`"
    blocks = (MARTS / "_briefing_measures.md").read_text()
    missing = [m.name for m in published() if f"{{% docs measure__{m.name} %}}" not in blocks]
    assert missing == []


def test_a_measure_changed_in_the_list_is_out_of_step_until_written(monkeypatch):
    import dataclasses

    from publishing import measures as module

    changed = {**measures(), "ocop_products": dataclasses.replace(measures()["ocop_products"], type="bigint")}
    monkeypatch.setattr(module, "measures", lambda: changed)
    assert module.main(["--check"]) == 1
