"""Installed without the checkout (a wheel), the package still finds its dbt project and its migrations."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json
from ingestion import schema
from orchestration.defs.transform import project
project.prepare_manifest()
print(json.dumps({
    "project_dir": str(project.PROJECT_DIR),
    "models": len(list(project.PROJECT_DIR.glob("models/**/*.sql"))),
    "manifest": str(project.dbt_project.manifest_path),
    "migrations": [m.name for m in schema.migrations()],
}))
"""


def source_tree(to: Path) -> Path:
    """The project's files (tracked, or new and not ignored) in a folder of their own: a build in the checkout
    reuses its build/ folder, where files renamed or removed since the last build would still be packed."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, to / name)
    return to


def test_a_wheel_carries_the_dbt_project_and_the_migrations(tmp_path):
    source = source_tree(tmp_path / "source")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path / "dist"), str(source)],
        check=True, cwd=tmp_path,
    )  # fmt: skip
    [wheel] = (tmp_path / "dist").glob("ntm_ocop_warehouse-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # Only the unpacked wheel on the path before site-packages: the checkout's editable install is not consulted.
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={"PYTHONPATH": str(site), "PATH": str(Path(sys.executable).parent), "DO_NOT_TRACK": "1",
             "HOME": str(tmp_path)},
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["project_dir"] == str(site / "ntm_ocop_dbt")
    assert found["models"] == len(list((ROOT / "dbt_project" / "models").glob("**/*.sql")))
    assert Path(found["manifest"]).exists()  # dbt parsed the installed project
    assert found["migrations"] == [p.stem for p in sorted((ROOT / "ingestion" / "migrations").glob("*.sql"))]


def test_every_python_package_is_listed_for_the_wheel():
    import tomllib

    import setuptools

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    found = setuptools.find_packages(
        str(ROOT), include=["ingestion*", "orchestration*", "expectations*", "samples*", "publishing*"]
    )
    assert sorted(listed) == sorted([*found, "ntm_ocop_dbt"])
