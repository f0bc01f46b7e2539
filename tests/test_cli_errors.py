"""What the operator sees when something is wrong: a clear line and exit 2, never a traceback or a live escape code."""

from __future__ import annotations

from orchestration import cli
from orchestration.briefing import printable


def test_a_sample_the_warehouse_cannot_write_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["sample", "--province", "99", "--period", "2023-12", "--out", str(tmp_path)]) == 2
    assert "ntm-ocop sample: province code '99'" in capsys.readouterr().err
    assert cli.main(["sample", "--province", "06", "--period", "2026-03", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "names no province valid in 03/2026" in err and "Traceback" not in err


def test_control_characters_from_workbooks_are_shown_not_run():
    assert printable("Xã\x1b[2J Bằng\x07 Thành\n") == "Xã\\x1b[2J Bằng\\x07 Thành\n"
