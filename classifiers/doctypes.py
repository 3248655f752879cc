"""The document types of Decree 30/2020/NĐ-CP with their symbol abbreviations and TT05 codes.

The TT05 code order is not verified against the official text: this table is the one place to
change it.
"""
from dataclasses import dataclass

from sohoa.core.text import fold


@dataclass(frozen=True)
class DocType:
    name: str
    abbreviation: str | None  # in the code notation, e.g. "QĐ" in "15/QĐ-UBND"
    code: str  # TT05 type code
    has_title: bool = True  # công văn carries no type name, only "V/v <subject>"


DECREE_30_TYPES: tuple[DocType, ...] = (
    DocType("Nghị quyết", "NQ", "01"),
    DocType("Quyết định", "QĐ", "02"),
    DocType("Chỉ thị", "CT", "03"),
    DocType("Quy chế", "QC", "04"),
    DocType("Quy định", "QyĐ", "05"),
    DocType("Thông cáo", "TC", "06"),
    DocType("Thông báo", "TB", "07"),
    DocType("Hướng dẫn", "HD", "08"),
    DocType("Chương trình", "CTr", "09"),
    DocType("Kế hoạch", "KH", "10"),
    DocType("Phương án", "PA", "11"),
    DocType("Đề án", "ĐA", "12"),
    DocType("Dự án", "DA", "13"),
    DocType("Báo cáo", "BC", "14"),
    DocType("Biên bản", "BB", "20"),
    DocType("Tờ trình", "TTr", "15"),
    DocType("Hợp đồng", "HĐ", "21"),
    DocType("Công văn", None, "22", has_title=False),
    DocType("Công điện", "CĐ", "23"),
    DocType("Bản ghi nhớ", "BGN", "24"),
    DocType("Bản thỏa thuận", "BTT", "25"),
    DocType("Giấy ủy quyền", "GUQ", "16"),
    DocType("Giấy mời", "GM", "26"),
    DocType("Giấy giới thiệu", "GGT", "27"),
    DocType("Giấy nghỉ phép", "GNP", "28"),
    DocType("Phiếu gửi", "PG", "17"),
    DocType("Phiếu chuyển", "PC", "18"),
    DocType("Phiếu báo", "PB", "19"),
    DocType("Thư công", None, "29"),
)

OTHER_CODE = "32"  # TT05 "Khác": legal normative documents and anything outside the 29

# Types outside the 29 that real dossiers contain; recorded by their printed name with code 32.
OTHER_TYPE_NAMES: tuple[str, ...] = (
    "Luật", "Pháp lệnh", "Nghị định", "Thông tư", "Thông tư liên tịch", "Lệnh", "Sắc lệnh",
)

BY_FOLDED_NAME: dict[str, DocType] = {fold(t.name): t for t in DECREE_30_TYPES}
# Exact spelling matters: "HD" is Hướng dẫn, "HĐ" is Hợp đồng; "DA" Dự án, "ĐA" Đề án.
BY_ABBREVIATION: dict[str, DocType] = {t.abbreviation: t for t in DECREE_30_TYPES if t.abbreviation}
FOLDED_OTHER_NAMES: dict[str, str] = {fold(n): n for n in OTHER_TYPE_NAMES}


def by_name(name: str) -> DocType | None:
    return BY_FOLDED_NAME.get(fold(name))
