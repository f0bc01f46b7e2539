"""What a sample district report holds (communes, certificates, villages, funds, plans), and the
vocabularies offices write, before any of it is written to a workbook."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ingestion.reference import Commune, District
from ingestion.template import TEMPLATE_2024_1
from ingestion.values import add_months, month_end

CRITERIA = list(TEMPLATE_2024_1.criteria)  # B01's criterion columns
# How often each criterion is met relative to the others: 17 (environment, clean water) and
# 13 (production organisation, traceability) are the hardest, as provinces report.
CRITERION_WEIGHTS = {
    1: 3.0, 2: 0.8, 3: 1.6, 4: 3.0, 5: 0.9, 6: 0.6, 7: 1.2, 8: 2.6, 9: 1.6, 10: 0.6,
    11: 0.7, 12: 2.0, 13: 0.35, 14: 2.0, 15: 2.2, 16: 1.5, 17: 0.25, 18: 2.5, 19: 3.0,
}  # fmt: skip
LEVEL_LABELS = {0: "Chưa đạt", 1: "NTM", 2: "NTM nâng cao", 3: "NTM kiểu mẫu"}
MARKER_STYLES = ("x", "Đạt", "1")  # how offices mark a met criterion; districts differ
GROUPS_148_FROM = dt.date(2023, 2, 24)

# (product, group under 148/QĐ-TTg, group under 1048/QĐ-TTg)
PRODUCTS = [
    ("Miến dong", "Thực phẩm", "Thực phẩm"),
    ("Gạo nếp Tài", "Thực phẩm", "Thực phẩm"),
    ("Gạo Bao thai", "Thực phẩm", "Thực phẩm"),
    ("Mật ong", "Thực phẩm", "Thực phẩm"),
    ("Bánh gio", "Thực phẩm", "Thực phẩm"),
    ("Bánh khảo", "Thực phẩm", "Thực phẩm"),
    ("Thịt lợn gác bếp", "Thực phẩm", "Thực phẩm"),
    ("Lạp sườn", "Thực phẩm", "Thực phẩm"),
    ("Măng khô", "Thực phẩm", "Thực phẩm"),
    ("Cam sành", "Thực phẩm", "Thực phẩm"),
    ("Quýt", "Thực phẩm", "Thực phẩm"),
    ("Hồng không hạt", "Thực phẩm", "Thực phẩm"),
    ("Tương nếp", "Thực phẩm", "Thực phẩm"),
    ("Chè Shan tuyết", "Đồ uống", "Đồ uống"),
    ("Trà hoa vàng", "Đồ uống", "Đồ uống"),
    ("Rượu men lá", "Đồ uống", "Đồ uống"),
    ("Tinh dầu quế", "Dược liệu và sản phẩm từ dược liệu", "Thảo dược"),
    ("Trà giảo cổ lam", "Dược liệu và sản phẩm từ dược liệu", "Thảo dược"),
    ("Cao khôi", "Dược liệu và sản phẩm từ dược liệu", "Thảo dược"),
    ("Giỏ mây tre đan", "Thủ công mỹ nghệ", "Lưu niệm - nội thất - trang trí"),
    ("Thổ cẩm Tày", "Thủ công mỹ nghệ", "Vải và may mặc"),
    ("Lan Kim tuyến", "Sinh vật cảnh", "Lưu niệm - nội thất - trang trí"),
    (
        "Homestay",
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Dịch vụ du lịch nông thôn và bán hàng",
    ),
]
PRODUCER_TYPES = ["HTX", "Doanh nghiệp", "Hộ kinh doanh", "Tổ hợp tác"]
FUND_SOURCES = [
    ("NSTW - Đầu tư phát triển", 9000.0),
    ("NSTW - Sự nghiệp", 3500.0),
    ("Ngân sách tỉnh", 2500.0),
    ("Ngân sách huyện", 1200.0),
    ("Ngân sách xã", 300.0),
    ("Vốn lồng ghép", 6000.0),
    ("Vốn tín dụng", 4000.0),
    ("Doanh nghiệp", 800.0),
    ("Cộng đồng dân cư", 1500.0),
]
SURNAMES = ["Hoàng", "Nông", "Triệu", "Lường", "Ma", "Hà", "Lục", "Đàm", "Bàn", "Lý", "Mã", "Dương"]
GIVEN = ["Văn Tùng", "Thị Hoa", "Văn Đức", "Thị Lan", "Văn Hùng", "Thị Mai", "Văn Sơn", "Thị Thu"]


@dataclass
class CommuneRow:
    commune: Commune
    criteria: set[int]
    level: int = 0
    year_ntm: int | None = None
    year_advanced: int | None = None
    year_model: int | None = None


@dataclass
class Certificate:
    product: str
    producer: str
    producer_type: str
    commune: Commune
    stars: int
    score: float | None
    decision_number: str
    decision_date: dt.date
    expiry_written: bool
    status: str  # Mới | Công nhận lại | Hết hạn
    export_market: str | None = None

    @property
    def expiry(self) -> dt.date:
        return add_months(self.decision_date, 36)

    def group(self) -> str:
        _, new_group, old_group = next(p for p in PRODUCTS if self.product.startswith(p[0]))
        return new_group if self.decision_date >= GROUPS_148_FROM else old_group


@dataclass
class Village:
    commune: Commune
    name: str
    level: str  # NTM | NTM kiểu mẫu
    year: int


@dataclass
class DistrictStatus:
    """Template 2024.2's B07_Huyen: the district's own NTM status and its district criteria met."""

    level: str  # as written: Chưa đạt | NTM | ... | Hoàn thành nhiệm vụ
    criteria_met: set[int]  # of the 9 district criteria (320/QĐ-TTg)
    year_recognised: int | None = None
    decision_number: str | None = None
    maintains: bool | None = None
    target_year: int | None = None
    dossier_status: str | None = None  # Đang thẩm định


@dataclass
class Dossier:
    """Template 2024.2's B08_OCOP_DanhGia: one product dossier of the year."""

    product: str
    producer: str
    commune: Commune
    round_number: int
    kind: str  # Mới | Đánh giá lại
    stage: str  # Đăng ký | Hoàn thiện hồ sơ | Đánh giá cấp huyện | Đánh giá cấp tỉnh | Công nhận | Không đạt
    score: float | None
    stars_proposed: int | None


@dataclass
class DistrictReport:
    province_name: str
    district: District
    period: dt.date
    report_date: dt.date
    communes: list[CommuneRow]
    certificates: list[Certificate]
    funds: list[tuple[str, int, float, float]]  # source, plan year, allocated, disbursed
    plan: dict[str, int]
    marker_style: str = "x"  # one of MARKER_STYLES
    villages: list[Village] = field(default_factory=list)
    # Template 2024.2's optional sheets (None: the workbook is written to 2024.1, which has none of them)
    district_status: DistrictStatus | None = None
    dossiers: list[Dossier] | None = None
    advanced_criteria: list[tuple[Commune, set[int]]] | None = None  # B01N: the advanced set's criteria met

    def indicators(self) -> list[tuple[Commune, str, object, str, bool]]:
        """B02 rows: 17.1 (clean water, %) and 13.3 (traceability), consistent with criteria 17 and 13."""
        rows = []
        for row in self.communes:
            rng = random.Random(f"indicators-{row.commune.code}-{self.period:%Y-%m}")
            water = rng.uniform(60, 98) if 17 in row.criteria else rng.uniform(15, 59)
            rows.append((row.commune, "17.1", round(water, 1), "%", 17 in row.criteria))
            rows.append((row.commune, "13.3", "Có" if 13 in row.criteria else "Không", "", 13 in row.criteria))
        return rows

    def valid_certificates(self) -> list[Certificate]:
        end = month_end(self.period)
        return [c for c in self.certificates if c.status != "Hết hạn" and c.decision_date <= end <= c.expiry]


def excel_round(value: float, digits: int) -> float:
    """Round as Excel's ROUND does (half away from zero), not as Python's round (half to even)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))
