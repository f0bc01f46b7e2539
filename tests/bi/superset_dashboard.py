"""`make bi`: Apache Superset reading the published marts, as a data engineer would hand it to an office.

Run with the Python of Superset's own environment (.venv-bi, made by `make bi`), from the repository root:

    .venv-bi/bin/python tests/bi/superset_dashboard.py [--serving data/serving.duckdb] [--keep-serving]

1. Sets up a Superset instance under data/superset/ (metadata in SQLite, an admin user `admin`/`admin`).
2. Starts Superset on http://127.0.0.1:8088 and registers the serving file read-only
   (`connect_args: {"read_only": true}`); picks one province-month (`--province`, `--period`, or the latest
   published month with district rows), and makes its datasets, seven charts and the dashboard
   "Giao ban NTM-OCOP: <province>, tháng MM/YYYY" (NTM communes by district, OCOP stars, disbursement).
3. Takes screenshots of the dashboard in headless Chromium (data/reports/bi/superset-dashboard.png).
4. Checks what docs/bi.md promises: a new publication is what Superset's next query reads, without a restart
   (it opens the file per query). The serving file is re-published from the warehouse for that.
5. Stops Superset, unless --keep-serving (then it runs until Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "data" / "superset"
SHOTS = ROOT / "data" / "reports" / "bi"
PORT = 8088
BASE = f"http://127.0.0.1:{PORT}"
USER, PASSWORD = "admin", "admin"
DATABASE = "NTM-OCOP (serving.duckdb)"
DASHBOARD = "Giao ban NTM-OCOP"
SLUG = "giao-ban-ntm-ocop"

CONFIG = """\
# Written by tests/bi/superset_dashboard.py: a local Superset for the NTM-OCOP marts.
SECRET_KEY = "ntm-ocop-local-superset-not-for-production"
SQLALCHEMY_DATABASE_URI = "sqlite:///{home}/superset.db"
# No network here: no map tiles, no usage statistics, no example data.
FEATURE_FLAGS = {{"DASHBOARD_RBAC": False}}
MAPBOX_API_KEY = ""
"""

NOTE = "**{place}, tháng {month}**: {what} trong `{serving}` (schema `marts`, docs/marts.md)."
SAMPLE = " Đây là **dữ liệu mẫu — không phải số liệu chính thức**."

# The province-month the dashboard shows: `--province`/`--period`, or else the latest published month that has
# district rows (the charts are by district; a month of template 2026.1 has none: communes report to the province).
# The same query and datasets are read by `make test` (tests/test_present.py), so a serving file they would show
# empty fails there, not only here.
CHOOSE = """\
select b.province_code, strftime(b.period_month, '%Y-%m') as period, p.province_name, b.is_sample_data
from marts.mart_province_briefing as b
inner join marts.dim_province as p using (province_code)
where exists (
    select 1 from marts.mart_district_briefing as d
    where d.province_code = b.province_code and d.period_month = b.period_month
)
{where}
order by b.period_month desc, b.province_code
limit 1
"""

BY_DISTRICT = """\
select p.province_name, d.district_name, b.*
from marts.mart_district_briefing as b
inner join marts.dim_district as d using (district_code)
inner join marts.dim_province as p on p.province_code = b.province_code
where b.province_code = '{province}' and b.period_month = date '{period}-01'
"""
PROVINCE = """\
select p.province_name, b.*
from marts.mart_province_briefing as b
inner join marts.dim_province as p using (province_code)
where b.province_code = '{province}' and b.period_month = date '{period}-01'
"""


def choose_sql(province: str | None = None, period: str | None = None) -> str:
    """The query that picks the dashboard's province-month (a row: code, YYYY-MM, name, sample?)."""
    conditions = []
    if province:
        if not province.isdigit():
            raise SystemExit(f"--province: a province code of digits, e.g. 06 (got {province!r})")
        conditions.append(f"b.province_code = '{province}'")
    if period:
        if len(period) != 7 or not period.replace("-", "").isdigit() or period[4] != "-":
            raise SystemExit(f"--period: a month as YYYY-MM, e.g. 2023-12 (got {period!r})")
        conditions.append(f"b.period_month = date '{period}-01'")
    return CHOOSE.format(where="and " + " and ".join(conditions) if conditions else "")


def datasets(province: str, period: str) -> dict[str, tuple[str, str]]:
    """The dashboard's datasets for one province-month: key → (Superset dataset name, SQL)."""
    return {
        "district": ("giao_ban_theo_huyen", BY_DISTRICT.format(province=province, period=period)),
        "province": ("giao_ban_tinh", PROVINCE.format(province=province, period=period)),
    }


def month_label(period: str) -> str:
    """'2023-12' → '12/2023', as the briefings write a month."""
    return f"{period[5:]}/{period[:4]}"


def metric(column: str, label: str, aggregate: str = "SUM") -> dict:
    return {
        "expressionType": "SIMPLE",
        "column": {"column_name": column},
        "aggregate": aggregate,
        "label": label,
        "optionName": f"metric_{column}_{aggregate.lower()}",
    }


def bar(metrics: list[dict], **extra) -> dict:
    return {
        "viz_type": "echarts_timeseries_bar",
        "x_axis": "district_name",
        "xAxisForceCategorical": True,
        "metrics": metrics,
        "groupby": [],
        "adhoc_filters": [],
        "row_limit": 1000,
        "orientation": "vertical",
        "show_legend": True,
        "show_value": True,
        "x_axis_sort_asc": True,
        "xAxisLabelRotation": 30,
        "rich_tooltip": True,
        **extra,
    }


def big_number(column: str, label: str, aggregate: str = "SUM", subheader: str = "") -> dict:
    return {
        "viz_type": "big_number_total",
        "metric": metric(column, label, aggregate),
        "adhoc_filters": [],
        "subheader": subheader,
        "header_font_size": 0.3,
        "subheader_font_size": 0.125,
        "y_axis_format": ",.2~f",
    }


# (dataset, chart name, form data, width in 12ths)
CHARTS = [
    ("province", "Xã đạt chuẩn NTM", big_number("communes_ntm", "Xã đạt chuẩn NTM", subheader="xã (lũy kế)"), 3),
    ("province", "Sản phẩm OCOP", big_number("ocop_products", "Sản phẩm OCOP", subheader="sản phẩm 3 sao trở lên"), 3),
    (
        "province",
        "Bình quân tiêu chí/xã",
        big_number("avg_criteria_met", "Bình quân tiêu chí/xã", "MAX", "tiêu chí"),
        3,
    ),
    (
        "province",
        "Tỷ lệ giải ngân (%)",
        big_number("fund_disbursement_pct", "Tỷ lệ giải ngân (%)", "MAX", "vốn năm kế hoạch"),
        3,
    ),
    (
        "district",
        "Xã đạt chuẩn NTM theo huyện",
        bar([metric("communes_ntm", "Xã đạt chuẩn NTM"), metric("communes_total", "Tổng số xã")]),
        6,
    ),
    (
        "district",
        "Sản phẩm OCOP theo số sao",
        bar(
            [metric("ocop_3_star", "3 sao"), metric("ocop_4_star", "4 sao"), metric("ocop_5_star", "5 sao")],
            stack="Stack",
        ),
        6,
    ),
    (
        "district",
        "Giải ngân theo huyện (triệu đồng)",
        bar([metric("fund_allocated_mil_vnd", "Kế hoạch vốn"), metric("fund_disbursed_mil_vnd", "Đã giải ngân")]),
        12,
    ),
]


def superset(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("superset")), *args],
        check=check,
        env=_env(),
        capture_output=True,
        text=True,
    )


def _env() -> dict:
    return {**os.environ, "SUPERSET_CONFIG_PATH": str(HOME / "superset_config.py"), "FLASK_APP": "superset"}


def set_up() -> None:
    HOME.mkdir(parents=True, exist_ok=True)
    (HOME / "superset_config.py").write_text(CONFIG.format(home=HOME))
    print("Superset: metadata database, admin user, roles", flush=True)
    superset("db", "upgrade")
    superset(
        "fab",
        "create-admin",
        "--username",
        USER,
        "--password",
        PASSWORD,
        "--firstname",
        "Admin",
        "--lastname",
        "NTM",
        "--email",
        "admin@localhost",
        check=False,
    )  # fmt: skip  (exists already on a second run)
    superset("init")


def start() -> subprocess.Popen:
    log = (HOME / "server.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("superset")), "run", "-h", "127.0.0.1", "-p", str(PORT), "--with-threads"],
        env=_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            if requests.get(f"{BASE}/health", timeout=2).ok:
                return server
        except requests.ConnectionError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"Superset stopped while starting: see {HOME / 'server.log'}")
        time.sleep(1)
    raise SystemExit(f"Superset did not answer on {BASE} within 2 minutes: see {HOME / 'server.log'}")


class Api:
    """Superset's REST API as the admin user (JWT, and the CSRF token its write calls need)."""

    def __init__(self) -> None:
        self.http = requests.Session()
        login = self.http.post(
            f"{BASE}/api/v1/security/login",
            json={"username": USER, "password": PASSWORD, "provider": "db", "refresh": True},
            timeout=30,
        )
        login.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        csrf = self.http.get(f"{BASE}/api/v1/security/csrf_token/", timeout=30).json()["result"]
        self.http.headers.update({"X-CSRFToken": csrf, "Referer": BASE})

    def call(self, method: str, path: str, **kwargs) -> dict:
        response = self.http.request(method, f"{BASE}/api/v1/{path}", timeout=120, **kwargs)
        if not response.ok:
            raise SystemExit(f"Superset {method} /api/v1/{path}: {response.status_code} {response.text[:2000]}")
        return response.json() if response.content else {}

    def find(self, resource: str, column: str, value: str) -> int | None:
        query = f"(filters:!((col:{column},opr:eq,value:'{value}')),page_size:100)"
        found = self.call("GET", f"{resource}/", params={"q": query})["result"]
        return found[0]["id"] if found else None

    def replace(self, resource: str, column: str, value: str, body: dict) -> int:
        """Create, or update what a previous `make bi` made (same name), and return its id."""
        existing = self.find(resource, column, value)
        if existing is None:
            return self.call("POST", f"{resource}/", json=body)["id"]
        self.call("PUT", f"{resource}/{existing}", json=body)
        return existing

    def sql(self, database_id: int, query: str) -> list[dict]:
        result = self.call(
            "POST", "sqllab/execute/", json={"database_id": database_id, "sql": query, "runAsync": False}
        )
        return result["data"]


def choose(api: Api, database_id: int, province: str | None, period: str | None) -> tuple[str, str, str, bool]:
    """The province-month to show, read through Superset itself: (code, YYYY-MM, province name, sample?)."""
    rows = api.sql(database_id, choose_sql(province, period))
    if not rows:
        asked = ", ".join(x for x in (province and f"tỉnh {province}", period and f"tháng {period}") if x)
        raise SystemExit(
            f"No published month with district rows{' for ' + asked if asked else ''} in the serving file: "
            "the dashboard's charts are by district (template 2024.1 months, up to 06/2025)."
        )
    row = rows[0]
    return row["province_code"], row["period"], row["province_name"], bool(row["is_sample_data"])


def build_dashboard(api: Api, serving: Path, province: str | None = None, period: str | None = None) -> int:
    """The database, datasets, charts and dashboard (made anew, or updated in place); the database's id."""
    database_id = api.replace(
        "database",
        "database_name",
        DATABASE,
        {
            "database_name": DATABASE,
            "sqlalchemy_uri": f"duckdb:///{serving.resolve()}",
            "expose_in_sqllab": True,
            "extra": json.dumps({"engine_params": {"connect_args": {"read_only": True}}}),
        },
    )
    period_given = period
    province, period, province_name, is_sample = choose(api, database_id, province, period)
    place, month = province_name, month_label(period)
    print(f"Dashboard month: {place}, {month}", flush=True)
    dataset_ids = {}
    for key, (name, sql) in datasets(province, period).items():
        existing = api.find("dataset", "table_name", name)
        if existing is not None:
            api.call("DELETE", f"dataset/{existing}")  # its columns follow the marts of this publication
        dataset_ids[key] = api.call(
            "POST", "dataset/", json={"database": database_id, "schema": "marts", "table_name": name, "sql": sql}
        )["id"]
    title = f"{DASHBOARD}: {place}, tháng {month}"
    dashboard_id = api.replace("dashboard", "slug", SLUG, {"dashboard_title": title, "slug": SLUG, "published": True})
    layout = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": title}},
    }
    row, used = None, 12
    for n, (dataset, name, form_data, width) in enumerate(CHARTS):
        if form_data["viz_type"] == "big_number_total":  # a card names its place and month
            form_data = {**form_data, "subheader": f"{form_data['subheader']} · {place}, {month}"}
        chart_id = api.replace(
            "chart",
            "slice_name",
            name,
            {
                "slice_name": name,
                "viz_type": form_data["viz_type"],
                "datasource_id": dataset_ids[dataset],
                "datasource_type": "table",
                "params": json.dumps({**form_data, "datasource": f"{dataset_ids[dataset]}__table"}),
                "dashboards": [dashboard_id],
            },
        )
        if used + width > 12:
            row, used = f"ROW-{n}", 0
            layout["GRID_ID"]["children"].append(row)
            layout[row] = {
                "type": "ROW",
                "id": row,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID"],
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }
        used += width
        layout[row]["children"].append(f"CHART-{n}")
        layout[f"CHART-{n}"] = {
            "type": "CHART",
            "id": f"CHART-{n}",
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID", row],
            "meta": {"chartId": chart_id, "width": width, "height": 28 if width == 3 else 70, "sliceName": name},
        }
    # The month shown, and whether its figures are sample data (after `make run`, the sample province's).
    what = "tháng báo cáo mới nhất có số liệu theo huyện đã công bố" if period_given is None else "tháng đã chọn"
    note = NOTE.format(place=place, month=month, what=what, serving=serving.name) + (SAMPLE if is_sample else "")
    layout["GRID_ID"]["children"].insert(0, "ROW-note")
    layout["ROW-note"] = {
        "type": "ROW",
        "id": "ROW-note",
        "children": ["MARKDOWN-note"],
        "parents": ["ROOT_ID", "GRID_ID"],
        "meta": {"background": "BACKGROUND_TRANSPARENT"},
    }
    layout["MARKDOWN-note"] = {
        "type": "MARKDOWN",
        "id": "MARKDOWN-note",
        "children": [],
        "parents": ["ROOT_ID", "GRID_ID", "ROW-note"],
        "meta": {"width": 12, "height": 12, "code": note},
    }
    api.call(
        "PUT",
        f"dashboard/{dashboard_id}",
        json={"position_json": json.dumps(layout), "json_metadata": json.dumps({"positions": layout})},
    )
    return database_id


def screenshot(path: Path) -> None:
    """The dashboard as a person sees it: headless Chromium logs in, opens it, waits for every chart."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1600,1800", "--lang=vi",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"{BASE}/login/")
        WebDriverWait(driver, 60).until(expected_conditions.presence_of_element_located((By.ID, "username")))
        driver.find_element(By.ID, "username").send_keys(USER)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "[data-test=login-button]").click()
        WebDriverWait(driver, 60).until(lambda d: "/login" not in d.current_url)
        driver.get(f"{BASE}/superset/dashboard/{SLUG}/?standalone=1")
        WebDriverWait(driver, 120).until(
            lambda d: (
                len(d.find_elements(By.CSS_SELECTOR, ".chart-container canvas, .chart-container .header-line"))
                >= 3 + len([c for c in CHARTS if c[2]["viz_type"] == "big_number_total"])
                and not d.find_elements(By.CSS_SELECTOR, ".loading")
            )
        )
        time.sleep(3)  # the bars' animation
        path.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(path))
        errors = driver.find_elements(By.CSS_SELECTOR, ".alert-danger, .ant-alert-error")
        if errors:
            raise SystemExit(f"The dashboard shows errors: {[e.text for e in errors]} (screenshot {path})")
    finally:
        driver.quit()


def check_new_publication_is_read(api: Api, database_id: int, serving: Path, warehouse: Path) -> str:
    """Re-publish, and see Superset's next query read the new file without a restart."""
    before = api.sql(database_id, "select run_id from main.publication")[0]["run_id"]
    run_id = f"make-bi-{int(time.time())}"
    publish = "import sys; from pathlib import Path; from publishing.serving import publish; publish(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])"  # noqa: E501
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", publish, str(warehouse), str(serving), run_id], check=True, cwd=ROOT)  # fmt: skip  # noqa: E501
    after = api.sql(database_id, "select run_id from main.publication")[0]["run_id"]
    if after != run_id:
        raise SystemExit(f"Superset still read publication {after!r} after {run_id!r} was published (was {before!r})")
    return f"publication {before} -> {after}: Superset's next query read the new file"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serving", type=Path, default=ROOT / "data" / "serving.duckdb")
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "warehouse.duckdb")
    parser.add_argument("--province", help="the province code to show (default: that of the month below)")
    parser.add_argument("--period", help="the month to show, YYYY-MM (default: the latest with district rows)")
    parser.add_argument("--keep-serving", action="store_true", help="leave Superset running (Ctrl-C stops it)")
    args = parser.parse_args()
    if not args.serving.exists():
        print(f"No serving file at {args.serving}: run `make run` first.", file=sys.stderr)
        return 2
    set_up()
    server = start()
    try:
        api = Api()
        database_id = build_dashboard(api, args.serving, args.province, args.period)
        print(f"Dashboard: {BASE}/superset/dashboard/{SLUG}/ (user {USER}, password {PASSWORD})", flush=True)
        shot = SHOTS / "superset-dashboard.png"
        screenshot(shot)
        print(f"Screenshot: {shot}", flush=True)
        print(check_new_publication_is_read(api, database_id, args.serving, args.warehouse), flush=True)
        if args.keep_serving:
            print("Superset is running; Ctrl-C stops it.", flush=True)
            server.wait()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
