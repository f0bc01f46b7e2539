"""Great Expectations' Data Docs that open offline: the scripts, styles and fonts its pages take from CDNs, served
from local copies.

The pages of a Data Docs site load jQuery, Bootstrap, bootstrap-table, Font Awesome, Vega and a few more from
cdn.jsdelivr.net, unpkg.com and others: opened where there is no internet (an office, this machine) the index is
unstyled and lists no validation (bootstrap-table draws the list). The same files are npm packages, pinned here:

    python -m expectations.offline_docs vendor      # set-up time: `npm pack` from the registry into ASSETS_DIR
    python -m expectations.offline_docs localise data/reports/validation

`vendor` runs once (`make docs` does it); after it, every run's `build_data_docs` localises the site it writes
(expectations/runner.py), and `localise` does an existing site. A page whose assets are not vendored keeps the
CDN addresses: it still works online.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# Where the vendored files are kept: in the environment, beside the packages (set-up data, not in git).
ASSETS_DIR = Path(os.environ.get("NTM_DATA_DOCS_ASSETS", Path(sys.prefix) / "share" / "ntm-ocop" / "data-docs"))
SITE_FOLDER = "static/vendor"  # inside a Data Docs site

# npm package (pinned) → {file in its tarball: the CDN addresses Great Expectations 1.24's pages load it from}.
# A folder ("webfonts/") is copied whole (the stylesheet beside it names its files relatively).
ASSETS: dict[str, dict[str, tuple[str, ...]]] = {
    "jquery@3.7.1": {"dist/jquery.min.js": ("https://code.jquery.com/jquery-3.7.1.min.js",)},
    "popper.js@1.12.9": {
        "dist/umd/popper.min.js": ("https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js",)
    },
    "bootstrap@4.3.1": {
        "dist/css/bootstrap.min.css": ("https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css",),
        "dist/js/bootstrap.min.js": ("https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js",),
    },
    "@forevolve/bootstrap-dark@1.1.0": {
        "dist/css/bootstrap-prefers-dark.css": (
            "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css",
        )
    },
    "bootstrap-table@1.19.1": {
        "dist/bootstrap-table.min.css": ("https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css",),
        "dist/bootstrap-table.min.js": ("https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js",),
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
            "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
            "bootstrap-table-filter-control.min.css",
        ),
        "dist/extensions/filter-control/bootstrap-table-filter-control.css": (
            "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
            "bootstrap-table-filter-control.css",
        ),
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
            "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
            "bootstrap-table-filter-control.min.js",
        ),
    },
    "bootstrap-datepicker@1.9.0": {
        "dist/css/bootstrap-datepicker.min.css": (
            "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css",
        ),
        "dist/js/bootstrap-datepicker.min.js": (
            "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js",
        ),
    },
    "@fortawesome/fontawesome-free@6.6.0": {
        "css/all.min.css": ("https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css",),
        "webfonts/": (),
    },
    "vega@5.33.1": {"build/vega.min.js": ("https://cdn.jsdelivr.net/npm/vega@5",)},
    "vega-lite@5.23.0": {"build/vega-lite.min.js": ("https://cdn.jsdelivr.net/npm/vega-lite@5",)},
    "vega-embed@6.29.0": {"build/vega-embed.min.js": ("https://cdn.jsdelivr.net/npm/vega-embed@6",)},
}
# Images the pages take from Great Expectations' own S3 bucket: the logo the site already holds.
IMAGES = {
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png": "static/images/logo-long.png",
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png": "static/images/"
    "logo-long.png",
}


def _folder(spec: str) -> str:
    """'@fortawesome/fontawesome-free@6.6.0' → 'fortawesome-fontawesome-free-6.6.0': one folder per package."""
    name, _, version = spec.rpartition("@")
    return f"{name.lstrip('@').replace('/', '-')}-{version}"


def vendored(assets_dir: Path = ASSETS_DIR) -> bool:
    return all((assets_dir / _folder(spec) / path).exists() for spec, files in ASSETS.items() for path in files)


def vendor(assets_dir: Path = ASSETS_DIR) -> Path:
    """`npm pack` each package of ASSETS from the registry and keep the files the pages need (set-up time)."""
    if vendored(assets_dir):
        return assets_dir
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed once to fetch the Data Docs' scripts and styles (apt-get install npm)")
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([npm, "pack", *ASSETS, "--silent", "--pack-destination", work], check=True, cwd=work,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        for spec, files in ASSETS.items():
            tarball = Path(work) / f"{_folder(spec)}.tgz"  # npm's name for it
            target = assets_dir / _folder(spec)
            with tarfile.open(tarball) as archive:
                members = [m for m in archive.getmembers() if m.isfile()]
                for path in files:
                    chosen = [m for m in members if m.name == f"package/{path}"] if not path.endswith("/") else [
                        m for m in members if m.name.startswith(f"package/{path}")
                    ]  # fmt: skip
                    if not chosen:
                        raise SystemExit(f"{spec} has no {path}")
                    for member in chosen:
                        out = target / member.name.removeprefix("package/")
                        out.parent.mkdir(parents=True, exist_ok=True)
                        out.write_bytes(archive.extractfile(member).read())
    return assets_dir


def localise(site_dir: Path, assets_dir: Path = ASSETS_DIR) -> int:
    """Copy the vendored files into the site (static/vendor/) and point every page at them, by a path relative to
    the page; returns the pages changed (0 when nothing is vendored: the pages keep the CDN addresses)."""
    if not vendored(assets_dir):
        return 0
    into = site_dir / SITE_FOLDER
    for source in assets_dir.rglob("*"):  # each run rebuilds the site: copy only what the site lacks (3.4 MB)
        target = into / source.relative_to(assets_dir)
        if source.is_file() and not (target.exists() and target.stat().st_size == source.stat().st_size):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    local: dict[str, str] = {}
    for spec, files in ASSETS.items():
        for path, addresses in files.items():
            local.update({address: f"{SITE_FOLDER}/{_folder(spec)}/{path}" for address in addresses})
    changed = 0
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        up = "../" * (len(page.relative_to(site_dir).parts) - 1)
        new = text
        for address in sorted(local, key=len, reverse=True):  # the longer first: one address may begin another
            new = new.replace(f'"{address}"', f'"{up}{local[address]}"').replace(
                f"'{address}'", f"'{up}{local[address]}'"
            )
        for address, image in IMAGES.items():  # the logo's address carries a build date: ?d=…
            new = re.sub(re.escape(address) + r"(\?[^\"']*)?", up + image, new)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("vendor", help=f"fetch the pinned npm packages' files into {ASSETS_DIR}")
    site = sub.add_parser("localise", help="point a Data Docs site's pages at the vendored files")
    site.add_argument("site", type=Path)
    args = parser.parse_args(argv)
    if args.command == "vendor":
        print(f"Data Docs' scripts and styles: {vendor()}")
        return 0
    if not (args.site / "index.html").exists():
        print(f"No Data Docs site at {args.site} (run `ntm-ocop run` first)", file=sys.stderr)
        return 2
    if not vendored():
        print(f"Nothing vendored in {ASSETS_DIR}: run `python -m expectations.offline_docs vendor`", file=sys.stderr)
        return 2
    print(
        f"{localise(args.site)} page(s) of {args.site} now load their scripts and styles from {args.site / SITE_FOLDER}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
