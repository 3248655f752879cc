"""Plausible content for generated administrative documents: organs, people, subjects, bodies."""
import random
from dataclasses import dataclass, field

from sohoa.classifiers.doctypes import DECREE_30_TYPES, DocType

PROVINCES = ("Ninh Bình", "Nam Định", "Thái Bình", "Hà Nam", "Thanh Hóa", "Nghệ An", "Quảng Ninh",
             "Hải Dương", "Bắc Giang", "Phú Thọ", "Lào Cai", "Đắk Lắk", "Quảng Trị", "Bến Tre")

# (parent organ template, issuing organ template, organ part of the notation, signer positions)
ORGANS = (
    (None, "ỦY BAN NHÂN DÂN TỈNH {p}", "UBND", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
    ("ỦY BAN NHÂN DÂN TỈNH {p}", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "SKHĐT", ("GIÁM ĐỐC",), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ("ỦY BAN NHÂN DÂN TỈNH {p}", "SỞ Y TẾ", "SYT", ("GIÁM ĐỐC",), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ("ỦY BAN NHÂN DÂN TỈNH {p}", "SỞ NỘI VỤ", "SNV", ("GIÁM ĐỐC",), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ("ỦY BAN NHÂN DÂN TỈNH {p}", "SỞ TÀI CHÍNH", "STC", ("GIÁM ĐỐC",), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ("SỞ NỘI VỤ TỈNH {p}", "CHI CỤC VĂN THƯ - LƯU TRỮ", "CCVTLT", ("CHI CỤC TRƯỞNG",), ("KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG")),
    (None, "BỘ NỘI VỤ", "BNV", ("BỘ TRƯỞNG",), ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")),
    (None, "HỘI ĐỒNG NHÂN DÂN TỈNH {p}", "HĐND", ("TM. HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH"), ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
)

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Quang", "Hữu", "Ngọc", "Xuân", "Thu")
GIVEN = ("Nam", "Hùng", "Lan", "Hương", "Dũng", "Tuấn", "Hoa", "Phương", "Thắng", "Bình", "Khánh",
         "Thảo", "Sơn", "Hải", "Long", "Yến", "Quý", "Đạt")

TOPICS = (
    "chuyển đổi số trong công tác văn thư, lưu trữ năm {y}",
    "số hóa hồ sơ, tài liệu lưu trữ giai đoạn {y} - {y2}",
    "tổ chức Hội nghị tổng kết công tác cải cách hành chính năm {y}",
    "thành lập Tổ công tác chỉnh lý tài liệu tồn đọng",
    "phân bổ kinh phí sự nghiệp y tế năm {y}",
    "kiểm tra công tác phòng, chống thiên tai và tìm kiếm cứu nạn",
    "tuyển dụng viên chức sự nghiệp giáo dục năm {y}",
    "thực hiện chế độ báo cáo thống kê ngành nội vụ",
    "đầu tư xây dựng trụ sở làm việc của Ủy ban nhân dân xã",
    "nâng cấp hệ thống quản lý văn bản và điều hành",
    "triển khai dịch vụ công trực tuyến toàn trình",
    "sắp xếp đơn vị hành chính cấp xã giai đoạn {y} - {y2}",
)

BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Thông tư số 05/2025/TT-BNV của Bộ trưởng Bộ Nội vụ;",
    "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
)

SENTENCES = (
    "Các cơ quan, đơn vị có trách nhiệm tổ chức thực hiện nghiêm túc, đúng thời hạn quy định.",
    "Giao Văn phòng chủ trì, phối hợp với các đơn vị liên quan hướng dẫn, kiểm tra việc thực hiện.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị kịp thời báo cáo để xem xét, giải quyết.",
    "Hồ sơ, tài liệu sau khi số hóa phải bảo đảm tính toàn vẹn, xác thực và khả năng truy cập lâu dài.",
    "Việc lập hồ sơ công việc được thực hiện ngay khi phát sinh và kết thúc khi công việc hoàn thành.",
    "Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm trước pháp luật về kết quả thực hiện nhiệm vụ được giao.",
    "Báo cáo kết quả thực hiện gửi về Sở Nội vụ trước ngày 15 của tháng cuối quý để tổng hợp.",
    "Tăng cường ứng dụng công nghệ thông tin, từng bước hình thành kho lưu trữ số của tỉnh.",
    "Đẩy mạnh công tác tuyên truyền, nâng cao nhận thức của cán bộ, công chức, viên chức và người dân.",
    "Bảo đảm an toàn, an ninh thông tin trong quá trình vận hành các hệ thống thông tin dùng chung.",
    "Rà soát, đánh giá hiện trạng tài liệu lưu trữ, xác định khối lượng tài liệu cần chỉnh lý.",
    "Tổ chức tập huấn nghiệp vụ cho đội ngũ làm công tác văn thư, lưu trữ tại các cơ quan, đơn vị.",
    "Thời gian thực hiện từ ngày ký ban hành đến hết ngày 31 tháng 12 năm nay.",
)

URGENCIES = ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")
SECRECIES = ("MẬT", "TỐI MẬT")


@dataclass
class DocumentSpec:
    doc_type: DocType | None
    type_name: str
    type_code: str
    code_number: str
    code_notation: str
    place: str
    issued_date: str  # ISO
    parent_organ: str | None
    organ_name: str
    subject: str
    signer_authority: list[str]
    signer_name: str
    secrecy: str | None = None
    urgency: str | None = None
    body_paragraphs: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)

    @property
    def signer_position(self) -> str:
        return self.signer_authority[-1]


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def make_document(rng: random.Random, year: int, doc_type: DocType | None = None,
                  other_name: str | None = None, long_body: bool = False) -> DocumentSpec:
    """A document of doc_type (one of the 29) or, with other_name, a type outside the 29."""
    province = rng.choice(PROVINCES)
    parent, organ, organ_abbr, *positions = rng.choice(ORGANS)
    if doc_type is None and other_name is None:
        doc_type = rng.choice(DECREE_30_TYPES)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    number = str(rng.randint(1, 2999))
    if other_name is not None:
        notation = f"{year}/TT-{organ_abbr}"
        type_name, type_code = other_name, "32"
    elif doc_type.abbreviation:
        notation = f"{doc_type.abbreviation}-{organ_abbr}"
        type_name, type_code = doc_type.name, doc_type.code
    else:
        notation = f"{organ_abbr}-VP"
        type_name, type_code = doc_type.name, doc_type.code
    topic = rng.choice(TOPICS).format(y=year, y2=year + 1)
    if doc_type is not None and not doc_type.has_title:
        subject = "V/v " + topic
    else:
        subject = rng.choice(("Về việc ", "Về ", "")) + topic
        subject = subject[0].upper() + subject[1:]
    n_paragraphs = rng.randint(9, 14) if long_body else rng.randint(2, 5)
    body = [" ".join(rng.sample(SENTENCES, rng.randint(1, 3))) for _ in range(n_paragraphs)]
    return DocumentSpec(
        doc_type=doc_type, type_name=type_name, type_code=type_code, code_number=number,
        code_notation=notation, place=province, issued_date=f"{year:04d}-{month:02d}-{day:02d}",
        parent_organ=parent.format(p=province.upper()) if parent else None,
        organ_name=organ.format(p=province.upper()), subject=subject,
        signer_authority=list(rng.choice(positions)), signer_name=person(rng),
        secrecy=rng.choice(SECRECIES) if rng.random() < 0.12 else None,
        urgency=rng.choice(URGENCIES) if rng.random() < 0.25 else None,
        body_paragraphs=body, bases=rng.sample(BASES, rng.randint(1, 3)),
    )
