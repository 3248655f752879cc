"""What family C's documents say: organs and signers of communes, provincial departments, the police and
health services, and wording of their own. Written apart from families A and B (other organs, names,
subjects and types), so that a benchmark on family C measures recognition on text it was not tuned on."""
import random
from dataclasses import dataclass, field

from sohoa.synth.typed_document import TypedDocument

# (parent organ lines, organ lines, organ part of the notation, signature blocks: authority lines, position last)
ORGANS = (
    (("UBND HUYỆN {D}",), ("ỦY BAN NHÂN DÂN", "XÃ {W}"), "UBND",
     (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))),
    (("UBND TỈNH {P}",), ("SỞ Y TẾ",), "SYT", (("GIÁM ĐỐC",), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))),
    (("UBND TỈNH {P}",), ("SỞ NÔNG NGHIỆP VÀ", "PHÁT TRIỂN NÔNG THÔN"), "SNN",
     (("GIÁM ĐỐC",), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), ("TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"))),
    (("BỘ CÔNG AN",), ("CÔNG AN TỈNH {P}",), "CAT", (("GIÁM ĐỐC",), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))),
    (("SỞ Y TẾ {P}",), ("BỆNH VIỆN ĐA KHOA", "TỈNH {P}"), "BVĐK", (("GIÁM ĐỐC",), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))),
    ((), ("BỘ TÀI CHÍNH",), "BTC", (("BỘ TRƯỞNG",), ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
                                    ("TL. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ PHÁP CHẾ"))),
    ((), ("ỦY BAN NHÂN DÂN", "TỈNH {P}"), "UBND",
     (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
      ("TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"))),
    (("UBND TỈNH {P}",), ("BAN QUẢN LÝ DỰ ÁN", "ĐẦU TƯ XÂY DỰNG"), "BQLDA",
     (("GIÁM ĐỐC",), ("Q. GIÁM ĐỐC",))),
)
PLACES = (("Thanh Hóa", "NGA SƠN", "Nga Điền"), ("Nghệ An", "DIỄN CHÂU", "Diễn Kỷ"),
          ("Bắc Giang", "LỤC NAM", "Tam Dị"), ("Đắk Lắk", "KRÔNG PẮC", "Ea Kly"), ("Cà Mau", "NĂM CĂN", "Hàm Rồng"),
          ("Hưng Yên", "VĂN GIANG", "Phụng Công"), ("Bình Định", "PHÙ CÁT", "Cát Khánh"),
          ("Lào Cai", "BẢO THẮNG", "Phong Niên"))  # (province, district, commune)

FAMILY = ("Nguyễn", "Bùi", "Vũ", "Đỗ", "Ngô", "Dương", "Lý", "Cao", "Hà", "Đặng", "Trương", "Lâm", "Kiều", "Tô",
          "Phùng", "La")
MIDDLE = ("Văn", "Thị", "Minh", "Quốc", "Xuân", "Ngọc", "Thu", "Hữu", "Duy", "Phương")
GIVEN = ("Thắng", "Dũng", "Hương", "Tuấn", "Lan", "Cường", "Hạnh", "Sơn", "Thảo", "Khải", "Nhung", "Tùng",
         "Phúc", "Hải", "Yến", "Đạt", "Giang", "Hùng", "Oanh", "Tuyết")

TOPICS = (
    "tổ chức tiêm chủng mở rộng cho trẻ em dưới 5 tuổi trên địa bàn {where}",
    "phòng, chống dịch bệnh sốt xuất huyết mùa mưa năm {Y}",
    "hỗ trợ giống lúa cho các hộ bị thiệt hại do mưa lũ tại {where}",
    "bảo đảm an ninh trật tự trong dịp Tết Nguyên đán",
    "cấp kinh phí sửa chữa trường mầm non {where}",
    "kiểm tra việc chấp hành quy định về phòng cháy, chữa cháy tại các cơ sở kinh doanh",
    "thành lập Tổ công tác rà soát hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất lần đầu",
    "điều động cán bộ y tế tăng cường cho trạm y tế {where}",
    "quyết toán vốn đầu tư dự án hoàn thành công trình kênh mương nội đồng",
    "tuyên truyền, phổ biến pháp luật về bảo vệ rừng năm {Y}",
)
TYPES = ("Quyết định", "Quyết định", "Công văn", "Công văn", "Chỉ thị", "Thông báo", "Giấy mời", "Kế hoạch",
         "Hướng dẫn", "Tờ trình")
CODES = {"Quyết định": ("QĐ", "02"), "Chỉ thị": ("CT", "03"), "Thông báo": ("TB", "07"), "Kế hoạch": ("KH", "10"),
         "Hướng dẫn": ("HD", "08"), "Tờ trình": ("TTr", "15"), "Giấy mời": ("GM", "26"), "Công văn": (None, "22")}
LEADS = {"Quyết định": ("Về việc ", ""), "Chỉ thị": ("Về ", "Về việc tăng cường "),
         "Thông báo": ("Ý kiến kết luận về ", "Về việc "), "Kế hoạch": ("Thực hiện ", "Tổ chức "),
         "Hướng dẫn": ("Thực hiện ", "Về việc "), "Tờ trình": ("Xin chủ trương ", "Đề nghị phê duyệt "),
         "Giấy mời": ("Dự hội nghị ", "Họp về ")}
CONSIDERATIONS = (  # in the order a decision cites them: laws, then decrees, then the proposal
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
    "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
    "Căn cứ Luật Khám bệnh, chữa bệnh ngày 09 tháng 01 năm 2023;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
)
PROPOSAL = "Theo đề nghị của Trưởng phòng Tổ chức cán bộ."
SENTENCES = (
    "Các đơn vị căn cứ chức năng, nhiệm vụ được giao khẩn trương xây dựng kế hoạch chi tiết, phân công cán bộ "
    "phụ trách và bố trí kinh phí thực hiện.",
    "Trạm y tế các xã, thị trấn chủ động rà soát đối tượng, lập danh sách và thông báo lịch cụ thể đến từng hộ "
    "gia đình trước ít nhất ba ngày.",
    "Công an xã phối hợp với lực lượng dân quân tăng cường tuần tra, kiểm soát, xử lý nghiêm các trường hợp vi "
    "phạm theo quy định của pháp luật.",
    "Phòng Tài chính - Kế hoạch thẩm tra hồ sơ quyết toán, trình cấp có thẩm quyền phê duyệt trong thời hạn "
    "mười lăm ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "Kết quả thực hiện được tổng hợp, báo cáo bằng văn bản về Văn phòng trước ngày 25 hằng tháng để theo dõi, "
    "chỉ đạo.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị phản ánh kịp thời để được hướng dẫn, "
    "giải quyết.",
    "Giao Văn phòng theo dõi, đôn đốc việc thực hiện và tổng hợp kết quả báo cáo lãnh đạo theo định kỳ.",
    "Bệnh viện bố trí đủ nhân lực trực cấp cứu 24/24 giờ, bảo đảm thuốc, vật tư, hóa chất phục vụ công tác "
    "phòng, chống dịch.",
    "Kinh phí thực hiện từ nguồn ngân sách địa phương năm {Y} đã được giao tại Quyết định số 45/QĐ-UBND và các "
    "nguồn hợp pháp khác.",
    "Thủ trưởng các đơn vị chịu trách nhiệm trước cấp trên nếu để xảy ra chậm trễ, sai sót trong quá trình "
    "triển khai thực hiện.",
)
INVITATION = ("Hội nghị được tổ chức vào lúc 08 giờ 00 phút, tại Hội trường tầng 3, trụ sở cơ quan.",
              "Đề nghị các đồng chí sắp xếp thời gian tham dự đầy đủ, đúng thành phần; tài liệu hội nghị được gửi "
              "kèm theo giấy mời này.")
RECIPIENTS = ("- Lãnh đạo cơ quan;", "- Các phòng, ban chuyên môn;", "- Lưu: VT.")


@dataclass(kw_only=True)
class Document(TypedDocument):
    considerations: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    numbered: bool = False  # the body as articles (Điều 1., Điều 2.) or numbered points

    @property
    def authority_line(self) -> str:
        """A decision's line of authority: the collective organ where the head signs for it (TM.), else the head
        of the organ ("GIÁM ĐỐC SỞ Y TẾ")."""
        return self.organ_name if self.authority[0].startswith("TM.") else f"{self.head} {self.organ_name}"

    @property
    def recipients(self) -> list[str]:
        first = "- Như Điều 3;" if self.type_name == "Quyết định" else "- Như trên;" if self.type_name in (
            "Công văn", "Giấy mời", "Tờ trình") else "- Các đơn vị trực thuộc;"
        return [first, *RECIPIENTS]

    @property
    def has_title(self) -> bool:
        return self.type_name != "Công văn"


def body_of(type_name: str, rng: random.Random) -> list[str]:
    """Most documents fit on one page; about one in three runs to two or three (its paragraphs then repeat)."""
    sentences = rng.choices(SENTENCES, k=rng.randint(10, 22)) if rng.random() < 0.35 else \
        rng.sample(SENTENCES, rng.randint(2, 7))
    return [*INVITATION, *sentences[:2]] if type_name == "Giấy mời" else sentences


def make_document(rng: random.Random, year: int, place: tuple[str, str, str], organ: tuple | None = None
                  ) -> Document:
    """A document of the organ given (else one drawn) in the place of the dossier (province, district, commune)."""
    parent, organ, organ_abbr, blocks = organ or rng.choice(ORGANS)
    province, district, commune = place
    fill = {"P": province.upper(), "D": district, "W": commune.upper()}
    type_name = rng.choice(TYPES)
    abbreviation, type_code = CODES[type_name]
    topic = rng.choice(TOPICS).format(where=f"xã {commune}", Y=year)
    if type_name == "Công văn":
        subject = f"V/v {topic}"
        notation = f"{organ_abbr}-{rng.choice(('VP', 'NV', 'KHTC', 'TCCB'))}"
    else:
        subject = rng.choice(LEADS[type_name]) + topic
        subject = subject[0].upper() + subject[1:]
        notation = f"{abbreviation}-{organ_abbr}"
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    national = not parent and "{P}" not in "".join(organ)
    place = "Hà Nội" if national else commune if "{W}" in "".join(organ) else province
    return Document(
        type_name=type_name, type_code=type_code, code_number=str(rng.choice((rng.randint(1, 99),
                                                                              rng.randint(100, 3500)))),
        code_notation=notation, place=place, issued_date=f"{year:04d}-{month:02d}-{day:02d}",
        parent_lines=[p.format(**fill) for p in parent], organ_lines=[o.format(**fill) for o in organ],
        subject=subject, authority=list(rng.choice(blocks)), head=blocks[0][-1],
        signer_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        secrecy="MẬT" if rng.random() < 0.08 else None,
        urgency=rng.choice(("KHẨN", "THƯỢNG KHẨN")) if rng.random() < 0.12 else None,
        considerations=[*sorted(rng.sample(CONSIDERATIONS, rng.randint(1, 3)), key=CONSIDERATIONS.index), PROPOSAL]
        if type_name == "Quyết định" else [],
        sentences=[line.format(Y=year) for line in body_of(type_name, rng)],
        numbered=type_name == "Quyết định" or rng.random() < 0.4)
