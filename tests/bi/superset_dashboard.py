"""`make bi`: Apache Superset reading the published marts, as a data engineer would hand it to an office.

Run with the Python of Superset's own environment (.venv-bi, made by `make bi`), from the repository root:

    .venv-bi/bin/python tests/bi/superset_dashboard.py [--serving data/serving.duckdb] [--province 06]
        [--period 2023-12] [--keep-serving]

1. Sets up a Superset instance under data/superset/ (metadata in SQLite, an admin user `admin`/`admin`).
2. Starts Superset on http://127.0.0.1:8088 and registers the serving file read-only
   (`connect_args: {"read_only": true}`); makes three datasets (the provinces' months, the districts' months
   to 06/2025, the commune groups' months from 07/2025), six charts and the dashboard "Giao ban NTM-OCOP" with
   filters Tỉnh, Chỉ tháng mới nhất của mỗi tỉnh (on by default) and Tháng (`--province CODE`, `--period
   YYYY-MM` preset them); checks that every chart has rows in the default view.
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
# Numbers as Vietnamese offices write them: 1.234,5 (d3's locale: decimal comma, thousands dot).
D3_FORMAT = {{"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " đ"]}}
"""

NOTE = (
    "**Mặc định: tháng báo cáo mới nhất của mỗi tỉnh** trong `{serving}` (schema `marts`, docs/marts.md). "
    "Mỗi dòng của bảng đầu ghi rõ tỉnh và tháng. Xem tháng khác: bỏ chọn “Chỉ tháng mới nhất”, chọn “Tháng”. "
    "Đến 06/2025 các huyện báo cáo (biểu đồ theo huyện); từ 07/2025 các xã báo cáo thẳng lên tỉnh (biểu đồ theo "
    "nhóm xã, bộ tiêu chí 2026-2030 từ 02/2026)."
)
SAMPLE = " Đây là **dữ liệu mẫu — không phải số liệu chính thức**."

# Every dataset carries the same three columns, so that the dashboard's filters (by column name) apply to all of
# them: tinh (the province's name), thang (the month as the briefings write it, MM/YYYY) and thang_moi_nhat ('Có'
# on the rows of each province's latest published month). The same queries are read by `make test`
# (tests/test_present.py), so a serving file whose default view would be empty fails there, not only here.
LATEST = """\
with latest as (
    select province_code, max(period_month) as latest_month from marts.mart_province_briefing group by all
)"""
FILTER_COLUMNS = """\
    p.province_name as tinh,
    strftime(b.period_month, '%m/%Y') as thang,
    case when b.period_month = latest.latest_month then 'Có' else 'Không' end as thang_moi_nhat"""
# The province table: one row per province-month shown, each naming its province and month (the "cards"); its
# columns under the names an office reads (Superset's table shows a column's name as its header).
TABLE_COLUMNS = [
    ("tinh", "Tỉnh"),
    ("thang", "Tháng"),
    ("don_vi_bao_cao", "Đơn vị báo cáo"),
    ("communes_total", "Tổng số xã"),
    ("communes_ntm", "Xã đạt chuẩn NTM"),
    ("pct_communes_ntm", "Tỷ lệ xã đạt chuẩn (%)"),
    ("avg_criteria_met", "Bình quân tiêu chí/xã"),
    ("ocop_products", "Sản phẩm OCOP"),
    ("fund_disbursement_pct", "Tỷ lệ giải ngân (%)"),
]


WHO_REPORTED = "case when b.reporting_unit_level = 'commune' then 'các xã báo cáo' else 'các huyện báo cáo' end"
_TABLE_EXPRESSIONS = {"tinh": "p.province_name", "thang": "strftime(b.period_month, '%m/%Y')",
                      "don_vi_bao_cao": WHO_REPORTED}  # fmt: skip
TABLE_SELECT = ",\n".join(f'    {_TABLE_EXPRESSIONS.get(c, "b." + c)} as "{label}"' for c, label in TABLE_COLUMNS)


PROVINCE = f"""\
{LATEST}
select
{FILTER_COLUMNS},
    {WHO_REPORTED} as don_vi_bao_cao,
{TABLE_SELECT},
    b.*
from marts.mart_province_briefing as b
inner join marts.dim_province as p using (province_code)
inner join latest using (province_code)
"""
BY_DISTRICT = f"""\
{LATEST}
select
{FILTER_COLUMNS},
    d.district_name,
    b.*
from marts.mart_district_briefing as b
inner join marts.dim_district as d using (district_code)
inner join marts.dim_province as p on p.province_code = b.province_code
inner join latest on latest.province_code = b.province_code
"""
BY_COMMUNE_GROUP = f"""\
{LATEST}
select
{FILTER_COLUMNS},
    case
        when b.commune_group is not null then 'Nhóm ' || b.commune_group
        when b.communes_total = 0 then 'Đơn vị không xét NTM (phường)'
        else 'Chưa phân nhóm (trước 02/2026)'
    end as nhom_xa,
    sum(b.communes_total) as communes_total,
    sum(b.communes_ntm) as communes_ntm,
    sum(b.ocop_3_star) as ocop_3_star,
    sum(b.ocop_4_star) as ocop_4_star,
    sum(b.ocop_5_star) as ocop_5_star
from marts.mart_commune_briefing as b
inner join marts.dim_province as p on p.province_code = b.province_code
inner join latest on latest.province_code = b.province_code
group by all
"""
DATASETS = {
    "province": ("giao_ban_tinh", PROVINCE),
    "district": ("giao_ban_theo_huyen", BY_DISTRICT),
    "commune_group": ("giao_ban_theo_nhom_xa", BY_COMMUNE_GROUP),
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


def bar(x_axis: str, metrics: list[dict], **extra) -> dict:
    return {
        "viz_type": "echarts_timeseries_bar",
        "x_axis": x_axis,
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
        "y_axis_format": ",d",
        **extra,
    }


def table(columns: list[tuple[str, str]]) -> dict:
    """A table of the dataset's columns under their Vietnamese names (`TABLE_SELECT` gives them those names)."""
    labels = [label for _, label in columns]
    return {
        "viz_type": "table",
        "query_mode": "raw",
        "all_columns": labels,
        "order_by_cols": [json.dumps([labels[0], True]), json.dumps([labels[1], False])],
        "adhoc_filters": [],
        "row_limit": 1000,
        "column_config": {
            label: {"d3NumberFormat": ",.1f" if "pct" in column or "avg" in column else ",d"}
            for column, label in columns[3:]
        },
        "show_cell_bars": False,
    }


NTM_COMMUNES = [metric("communes_ntm", "Xã đạt chuẩn NTM"), metric("communes_total", "Tổng số xã")]
OCOP_STARS = [metric("ocop_3_star", "3 sao"), metric("ocop_4_star", "4 sao"), metric("ocop_5_star", "5 sao")]
FUNDS = [metric("fund_allocated_mil_vnd", "Kế hoạch vốn"), metric("fund_disbursed_mil_vnd", "Đã giải ngân")]

# (dataset, chart name, form data, width in 12ths): the district era's charts by district, the commune era's by
# commune group
CHARTS = [
    ("province", "Số liệu chính theo tỉnh và tháng", table(TABLE_COLUMNS), 12),
    ("district", "Xã đạt chuẩn NTM theo huyện (đến 06/2025)", bar("district_name", NTM_COMMUNES), 6),
    ("district", "Sản phẩm OCOP theo số sao, theo huyện (đến 06/2025)",
     bar("district_name", OCOP_STARS, stack="Stack"), 6),
    ("district", "Vốn theo huyện, triệu đồng (đến 06/2025)", bar("district_name", FUNDS), 12),
    ("commune_group", "Xã đạt chuẩn NTM theo nhóm xã (từ 07/2025)", bar("nhom_xa", NTM_COMMUNES), 6),
    ("commune_group", "Sản phẩm OCOP theo số sao, theo nhóm xã (từ 07/2025)",
     bar("nhom_xa", OCOP_STARS, stack="Stack"), 6),
]  # fmt: skip


def native_filters(dataset_ids: dict[str, int], province: str | None, month: str | None) -> list[dict]:
    """The dashboard's filters, by column name on every dataset: Tỉnh, Chỉ tháng mới nhất (on by default),
    Tháng. `province` (a name) and `month` (MM/YYYY) preset them (then the latest-month filter is off)."""

    def select(key: str, name: str, column: str, default: str | None, multi: bool) -> dict:
        value = [default] if default else None
        extra = {"filters": [{"col": column, "op": "IN", "val": value}]} if value else {}
        return {
            "id": f"NATIVE_FILTER-{key}",
            "name": name,
            "filterType": "filter_select",
            "type": "NATIVE_FILTER",
            "targets": [{"datasetId": dataset_ids["province"], "column": {"name": column}}],
            "controlValues": {
                "multiSelect": multi,
                "enableEmptyFilter": False,
                "defaultToFirstItem": False,
                "inverseSelection": False,
                "searchAllOptions": False,
            },
            "defaultDataMask": {"filterState": {"value": value}, "extraFormData": extra},
            "cascadeParentIds": [],
            "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
            "description": "",
        }

    return [
        select("tinh", "Tỉnh", "tinh", province, True),
        select("moi-nhat", "Chỉ tháng mới nhất của mỗi tỉnh", "thang_moi_nhat", None if month else "Có", False),
        select("thang", "Tháng", "thang", month, False),
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


def presets(api: Api, database_id: int, province: str | None, period: str | None) -> tuple[str | None, str | None]:
    """`--province` (a code) and `--period` (YYYY-MM) as the filters' values (a province's name, MM/YYYY), checked
    against what is published."""
    if province is not None and not province.isdigit():
        raise SystemExit(f"--province: a province code of digits, e.g. 06 (got {province!r})")
    if period is not None and (len(period) != 7 or period[4] != "-" or not period.replace("-", "").isdigit()):
        raise SystemExit(f"--period: a month as YYYY-MM, e.g. 2023-12 (got {period!r})")
    conditions = [c for c in (province and f"province_code = '{province}'",
                              period and f"period_month = date '{period}-01'") if c]  # fmt: skip
    where = f"where {' and '.join(conditions)}" if conditions else ""
    sql = f"select distinct p.province_name from marts.mart_province_briefing join marts.dim_province p using (province_code) {where}"  # noqa: E501
    found = api.sql(database_id, sql)
    if conditions and not found:
        raise SystemExit(f"Nothing published for {' and '.join(conditions)} in the serving file")
    return (found[0]["province_name"] if province else None), (month_label(period) if period else None)


def build_dashboard(api: Api, serving: Path, province: str | None = None, period: str | None = None) -> int:
    """The database, datasets, charts, filters and dashboard (made anew, or updated in place); the database's id."""
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
    province_name, month = presets(api, database_id, province, period)
    is_sample = bool(
        api.sql(database_id, "select bool_or(is_sample_data) as s from marts.mart_province_briefing")[0]["s"]
    )
    dataset_ids = {}
    for key, (name, sql) in DATASETS.items():
        existing = api.find("dataset", "table_name", name)
        if existing is not None:
            api.call("DELETE", f"dataset/{existing}")  # its columns follow the marts of this publication
        dataset_ids[key] = api.call(
            "POST", "dataset/", json={"database": database_id, "schema": "marts", "table_name": name, "sql": sql}
        )["id"]
    dashboard_id = api.replace(
        "dashboard", "slug", SLUG, {"dashboard_title": DASHBOARD, "slug": SLUG, "published": True}
    )
    layout = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": DASHBOARD}},
    }
    row, used = None, 12
    for n, (dataset, name, form_data, width) in enumerate(CHARTS):
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
            "meta": {"chartId": chart_id, "width": width, "height": 40 if n == 0 else 70, "sliceName": name},
        }
    # How to read it, and whether its figures are sample data (after `make run`, the sample provinces').
    note = NOTE.format(serving=serving.name) + (SAMPLE if is_sample else "")
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
        "meta": {"width": 12, "height": 16, "code": note},
    }
    metadata = {
        "positions": layout,
        "native_filter_configuration": native_filters(dataset_ids, province_name, month),
        "cross_filters_enabled": False,
    }
    api.call(
        "PUT",
        f"dashboard/{dashboard_id}",
        json={"position_json": json.dumps(layout), "json_metadata": json.dumps(metadata)},
    )
    return database_id


def default_view_sql(key: str) -> str:
    """A dataset's rows as the dashboard shows them by default (each province's latest month)."""
    return f"select * from ({DATASETS[key][1]}) where thang_moi_nhat = 'Có'"


def check_descriptions(api: Api, database_id: int) -> str:
    """Every table of the public schema `marts` registered as a dataset of its own, as a BI user browsing the
    database does: Superset must show each column's description (it reads the COMMENTs the publish copies from
    dbt's YAML into the serving file). A table's own comment Superset does not read into the dataset: it is set
    from the serving file here, as whoever registers the marts for an office would."""
    comments = {
        r["table_name"]: r["comment"]
        for r in api.sql(
            database_id,
            "select table_name, comment from duckdb_tables() where schema_name = 'marts' "
            "union all select view_name, comment from duckdb_views() "
            "where schema_name = 'marts'",
        )
    }
    columns, missing = 0, []
    for table in sorted(comments):
        existing = api.find("dataset", "table_name", table)
        if existing is not None:
            api.call("DELETE", f"dataset/{existing}")
        dataset = api.call("POST", "dataset/", json={"database": database_id, "schema": "marts", "table_name": table})
        shown = api.call("GET", f"dataset/{dataset['id']}")["result"]
        missing += [f"{table}.{c['column_name']}" for c in shown["columns"] if not (c.get("description") or "").strip()]
        columns += len(shown["columns"])
        api.call("PUT", f"dataset/{dataset['id']}", json={"description": comments[table] or ""})
    if missing or not all(comments.values()):
        raise SystemExit(f"Superset shows no description for {len(missing)} of {columns} marts columns "
                         f"({missing[:5]}) or a table has no comment")  # fmt: skip
    return f"descriptions: Superset shows one for every one of {columns} columns of the {len(comments)} marts tables"


def check_default_view(api: Api, database_id: int) -> str:
    """Every chart's dataset has rows in the default view, and each chart's columns are there: else the
    dashboard would open on empty charts (as it did when the latest month had no district rows)."""
    counts = {}
    for key in DATASETS:
        rows = api.sql(database_id, default_view_sql(key))
        if not rows:
            raise SystemExit(f"The dashboard's default view has no {DATASETS[key][0]} rows")
        for dataset, name, form, _ in CHARTS:
            used = form.get("all_columns") or [m["column"]["column_name"] for m in form.get("metrics", [])]
            missing = [c for c in used if dataset == key and c not in rows[0]]
            if missing:
                raise SystemExit(f"Chart {name!r}: columns {missing} are not in {DATASETS[key][0]}")
        counts[DATASETS[key][0]] = len(rows)
    provinces = sorted({(r["tinh"], r["thang"]) for r in api.sql(database_id, default_view_sql("province"))})
    return f"default view: {counts}; provinces and months: {provinces}"


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
        "--window-size=1600,2600", "--lang=vi",
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
        driver.get(f"{BASE}/superset/dashboard/{SLUG}/")  # with its filter bar
        # every chart drawn: bars (a canvas), the table (its rows), or Superset's "no results" for a chart of the
        # other era (the filters preset to one province and month)
        drawn = (
            "return [...document.querySelectorAll('.dashboard-component-chart-holder')].filter(h => "
            "h.querySelector('canvas, table tbody tr, .ant-empty, [class*=EmptyState], [class*=empty-state]'))"
            ".length"
        )
        WebDriverWait(driver, 120).until(
            lambda d: d.execute_script(drawn) >= len(CHARTS) and not d.find_elements(By.CSS_SELECTOR, ".loading")
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
    parser.add_argument("--province", help="preset the Tỉnh filter to this province code (default: every province)")
    parser.add_argument("--period", help="preset the Tháng filter, YYYY-MM (default: each province's latest month)")
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
        print(check_default_view(api, database_id), flush=True)
        print(check_descriptions(api, database_id), flush=True)
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
