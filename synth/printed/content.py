"""What family B's documents say: organs with headers of one to four lines, their signers, subjects
of one to three lines, bodies with lists and tables, and the dossier's cover and table of contents.
Written apart from family A's content, with other organs, names and wording."""
import random
from dataclasses import dataclass, field

from sohoa.synth.typed_document import TypedDocument

# (header lines of the parent organ, header lines of the organ, organ part of the notation,
#  signature blocks: authority lines ending with the position)
ORGANS = (
    ((), ("THỦ TƯỚNG CHÍNH PHỦ",), "TTg", (("THỦ TƯỚNG",), ("KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"))),
    ((), ("VĂN PHÒNG CHÍNH PHỦ",), "VPCP", (("BỘ TRƯỞNG, CHỦ NHIỆM",), ("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"))),
    ((), ("BỘ XÂY DỰNG",), "BXD", (("BỘ TRƯỞNG",), ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
                                   ("TL. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"))),
    (("ỦY BAN NHÂN DÂN", "TỈNH {P}"), ("SỞ TÀI NGUYÊN", "VÀ MÔI TRƯỜNG"), "STNMT",
     (("GIÁM ĐỐC",), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))),
    (("ỦY BAN NHÂN DÂN", "TỈNH {P}"), ("SỞ GIÁO DỤC", "VÀ ĐÀO TẠO"), "SGDĐT", (("GIÁM ĐỐC",), ("Q. GIÁM ĐỐC",))),
    ((), ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ {C}"), "UBND",
     (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), ("TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"))),
    ((), ("THANH TRA TỈNH {P}",), "TTr", (("CHÁNH THANH TRA",), ("KT. CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA"))),
    ((), ("TÒA ÁN NHÂN DÂN", "TỈNH {P}"), "TA", (("CHÁNH ÁN",), ("KT. CHÁNH ÁN", "PHÓ CHÁNH ÁN"))),
    (("ỦY BAN NHÂN DÂN", "HUYỆN {D}"), ("PHÒNG NỘI VỤ",), "PNV", (("TRƯỞNG PHÒNG",),)),
)
PLACES = (("Lạng Sơn", "Lạng Sơn", "ĐỒNG ĐĂNG"), ("Ninh Bình", "Tam Điệp", "NHO QUAN"),
          ("Quảng Nam", "Hội An", "ĐẠI LỘC"), ("Sơn La", "Sơn La", "MAI SƠN"), ("Kon Tum", "Kon Tum", "ĐẮK HÀ"),
          ("Vĩnh Long", "Vĩnh Long", "TAM BÌNH"), ("An Giang", "Châu Đốc", "THOẠI SƠN"))
NATIONAL_ORGANS = ("TTg", "VPCP", "BXD")

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đinh", "Trịnh", "Hồ", "Lương", "Tạ", "Đoàn",
          "Mai", "Quách", "Châu")
MIDDLE = ("Văn", "Thị", "Hồng", "Công", "Đình", "Thành", "Kim", "Bá", "Như", "Khắc")
GIVEN = ("Hà", "Phớc", "Chính", "Bình", "Quyết", "Nghĩa", "Toàn", "Hiếu", "Uyên", "Trâm", "Lực", "Thịnh",
         "Định", "Tâm", "Châu", "Nguyên", "Vinh", "Kiên", "Duyên", "Thuận")

# Subjects as the documents of central and local bodies word them; some run to three lines.
SUBJECTS = (
    "phê duyệt nhiệm vụ điều chỉnh quy hoạch chung xây dựng khu kinh tế cửa khẩu {C} đến năm 2045",
    "kiện toàn thành viên Ban Chỉ đạo thực hiện các cam kết về biến đổi khí hậu và tăng trưởng xanh",
    "xuất cấp hạt giống cây trồng từ nguồn dự trữ quốc gia hỗ trợ tỉnh {P} khắc phục hậu quả thiên tai",
    "thi hành kỷ luật đối với cán bộ thuộc diện quản lý vì vi phạm trong công tác quản lý đất đai",
    "ban hành danh mục dịch vụ sự nghiệp công sử dụng ngân sách nhà nước thuộc lĩnh vực tài nguyên",
    "tổ chức thi tuyển công chức năm {Y}",
    "giao chỉ tiêu tuyển sinh vào lớp 10 trung học phổ thông năm học {Y} - {Y2}",
    "đôn đốc nộp báo cáo tình hình thực hiện dự án đầu tư công quý III",
    "thu hồi đất để thực hiện dự án mở rộng đường tỉnh lộ qua địa bàn huyện {D}",
    "góp ý dự thảo Quy chế phối hợp trong công tác thanh tra, kiểm tra",
)
OPENINGS = {"Quyết định": ("Về việc ", "", "Về "), "Tờ trình": ("Về việc ", "Đề nghị "), "Báo cáo": ("Kết quả ", ""),
            "Thông báo": ("Kết luận về ", "Về việc "), "Kế hoạch": ("Triển khai ", "Thực hiện ")}
ITEMS = (
    "Rà soát hiện trạng sử dụng đất của các tổ chức trên địa bàn;",
    "Lập danh sách hộ gia đình, cá nhân bị ảnh hưởng và phương án bồi thường;",
    "Công khai kết quả tại trụ sở Ủy ban nhân dân cấp xã và trên cổng thông tin điện tử;",
    "Tổng hợp kiến nghị của người dân, báo cáo trước ngày 30 hằng tháng;",
    "Phối hợp với cơ quan thuế xác định nghĩa vụ tài chính về đất đai;",
)
PARAGRAPHS = (
    "Ủy ban nhân dân các huyện, thành phố chủ động bố trí nguồn lực, chỉ đạo các phòng, ban chuyên môn phối hợp "
    "chặt chẽ trong quá trình tổ chức thực hiện.",
    "Sở Tài chính chủ trì thẩm định dự toán kinh phí, tham mưu bố trí vốn theo đúng quy định của Luật Ngân sách "
    "nhà nước và các văn bản hướng dẫn thi hành.",
    "Trường hợp phát sinh vướng mắc vượt thẩm quyền, các đơn vị tổng hợp, đề xuất bằng văn bản để xem xét, "
    "quyết định.",
    "Cơ quan thường trực có trách nhiệm theo dõi, đôn đốc, định kỳ sáu tháng một lần báo cáo kết quả thực hiện.",
    "Việc quản lý, sử dụng hồ sơ, tài liệu thực hiện theo quy định của pháp luật về lưu trữ và bảo vệ bí mật "
    "nhà nước.",
    "Các chủ đầu tư khẩn trương hoàn thiện hồ sơ, thủ tục, giải ngân vốn được giao; không để xảy ra tình trạng "
    "chậm trễ kéo dài, gây lãng phí nguồn lực.",
    "Giao Văn phòng tổng hợp ý kiến của các thành viên, hoàn chỉnh dự thảo, trình cấp có thẩm quyền xem xét "
    "trước ngày 15 tháng 12.",
    "Định kỳ hằng quý, các đơn vị gửi báo cáo tình hình thực hiện về cơ quan thường trực để tổng hợp, theo dõi.",
    "Quá trình triển khai bảo đảm công khai, minh bạch, đúng đối tượng, không để xảy ra khiếu nại, khiếu kiện "
    "kéo dài.",
)
BASES = (
    "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",
    "Căn cứ Nghị định số 39/2022/NĐ-CP ngày 18 tháng 6 năm 2022 của Chính phủ ban hành Quy chế làm việc của "
    "Chính phủ;",
    "Căn cứ Luật Quy hoạch đô thị và nông thôn ngày 26 tháng 11 năm 2024;",
)
TYPES = ("Quyết định", "Quyết định", "Công văn", "Công văn", "Tờ trình", "Báo cáo", "Thông báo", "Kế hoạch")
ABBREVIATIONS = {"Quyết định": "QĐ", "Tờ trình": "TTr", "Báo cáo": "BC", "Thông báo": "TB", "Kế hoạch": "KH"}
TYPE_CODES = {"Quyết định": "02", "Công văn": "22", "Tờ trình": "15", "Báo cáo": "14", "Thông báo": "07",
              "Kế hoạch": "10"}
ATTACHMENTS = ("BẢNG TỔNG HỢP DIỆN TÍCH ĐẤT THU HỒI", "DANH SÁCH HỘ GIA ĐÌNH ĐƯỢC HỖ TRỢ",
               "SƠ ĐỒ VỊ TRÍ KHU ĐẤT", "ẢNH CHỤP HIỆN TRẠNG CÔNG TRÌNH", "MẪU PHIẾU LẤY Ý KIẾN")


@dataclass(kw_only=True)
class Document(TypedDocument):
    subject_lines: list[str]  # the subject as printed, one to three lines
    bases: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    table_rows: int = 0
    appendix: bool = False  # an A3 appendix follows the signature
    national: bool = False  # a central body: its place is Hà Nội


@dataclass
class Attachment:
    title: str
    kind: str  # "table", "photo" or "form"


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def subject_lines(text: str, rng: random.Random) -> list[str]:
    """The subject broken into lines of about 45 to 60 characters, as a typist breaks it."""
    width = rng.randint(45, 60)
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + [current]


def make_document(rng: random.Random, year: int) -> Document:
    parent, organ, organ_abbr, blocks = rng.choice(ORGANS)
    province, city, district = rng.choice(PLACES)
    fill = {"P": province.upper(), "C": city.upper(), "D": district}
    type_name = rng.choice(TYPES)
    national = organ_abbr in NATIONAL_ORGANS
    if type_name == "Công văn":
        notation = f"{organ_abbr}-{rng.choice(('VP', 'TH', 'KTTH', 'QHĐP'))}"
    else:
        notation = f"{ABBREVIATIONS[type_name]}-{organ_abbr}"
    topic = rng.choice(SUBJECTS).format(P=province, C=city, D=district.title(), Y=year, Y2=year + 1)
    if type_name == "Công văn":
        subject = "V/v " + topic
    else:
        subject = rng.choice(OPENINGS.get(type_name, ("",))) + topic
        subject = subject[0].upper() + subject[1:]
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    return Document(
        type_name=type_name, type_code=TYPE_CODES[type_name], code_number=str(rng.randint(1, 1999)),
        code_notation=notation, place=place_of(organ, parent, province, city, district, national),
        issued_date=f"{year:04d}-{month:02d}-{day:02d}", parent_lines=[p.format(**fill) for p in parent],
        organ_lines=[o.format(**fill) for o in organ], subject=subject,
        subject_lines=subject_lines(subject, rng) if type_name != "Công văn" else [subject],
        authority=list(rng.choice(blocks)), head=blocks[0][-1], signer_name=person(rng),
        secrecy="MẬT" if rng.random() < 0.1 else None, urgency=rng.choice(("KHẨN", "HỎA TỐC")) if rng.random() < 0.15
        else None, bases=rng.sample(BASES, rng.randint(1, 3)) if type_name == "Quyết định" else [],
        paragraphs=rng.sample(PARAGRAPHS, rng.randint(3, len(PARAGRAPHS))), items=rng.sample(ITEMS, rng.randint(0, 5)),
        table_rows=rng.choice((0, 0, 3, 6, 12)), appendix=type_name == "Quyết định" and rng.random() < 0.35,
        national=national)


def place_of(organ, parent, province: str, city: str, district: str, national: bool) -> str:
    """Where the document is issued: the capital for central bodies, else the organ's own town."""
    templates = "".join(organ + parent)
    if national:
        return "Hà Nội"
    return city if "{C}" in templates else district.title() if "{D}" in templates else province


def make_attachment(rng: random.Random) -> Attachment:
    title = rng.choice(ATTACHMENTS)
    kind = "photo" if title.startswith(("SƠ ĐỒ", "ẢNH")) else "form" if title.startswith("MẪU") else "table"
    return Attachment(title, kind)
