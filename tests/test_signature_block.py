"""The signature block is read again on its own only where the page's reading lacks the signer's name or
titles, or holds a name the names lexicon does not know (a seal or a signature hid them), and the reading
keeps the page's pixels."""
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sohoa.classifiers.signing_titles import holds_the_signer
from sohoa.core.page_text import PageText
from sohoa.ocr.signature_block import read_signature_block
from sohoa.ocr.tesseract import TesseractEngine
from sohoa.synth.fonts import available_families

DPI = 200


def last_page(right: int = 1000) -> np.ndarray:
    """Its signature block's authority line starting at x = right."""
    image = Image.new("L", (1654, 1400), 255)
    draw = ImageDraw.Draw(image)
    regular = ImageFont.truetype(available_families()[0].files["regular"], 34)
    bold = ImageFont.truetype(available_families()[0].files["bold"], 36)
    draw.text((200, 200), "Điều 3. Quyết định này có hiệu lực từ ngày ký.", font=regular, fill=0)
    draw.text((200, 400), "Nơi nhận:", font=bold, fill=0)
    draw.text((200, 450), "- Như Điều 3;", font=regular, fill=0)
    draw.text((right, 380), "KT. CHỦ TỊCH", font=bold, fill=0)
    draw.text((right - 10, 430), "PHÓ CHỦ TỊCH", font=bold, fill=0)
    draw.text((right - 20, 700), "Trần Hồng Hà", font=bold, fill=0)
    return np.asarray(image)


def test_a_name_the_page_reading_lost_is_read_again_in_the_page_pixels():
    image, vie = last_page(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    without_name = PageText(text.width, text.height, [line for line in text.lines if "Hà" not in line.text])
    block = read_signature_block(image, without_name, DPI, vie, holds_the_signer)
    assert block is not None
    name = next(line for line in block.lines if line.text == "Trần Hồng Hà")
    assert abs(name.box[0] - 980) <= 8 and abs(name.box[1] - 700) <= 20


def test_a_page_whose_reading_holds_the_name_is_not_read_again():
    image, vie = last_page(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    assert any(line.text == "Trần Hồng Hà" for line in text.lines)
    assert read_signature_block(image, text, DPI, vie, holds_the_signer) is None
    no_recipients = PageText(text.width, text.height, [line for line in text.lines if "Nơi" not in line.text])
    assert read_signature_block(image, no_recipients, DPI, vie, holds_the_signer) is None


def test_titles_the_page_reading_lost_are_read_again_though_it_holds_the_name():
    image, vie = last_page(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    without_titles = PageText(text.width, text.height, [line for line in text.lines if "TỊCH" not in line.text])
    block = read_signature_block(image, without_titles, DPI, vie, holds_the_signer)
    assert block is not None and "PHÓ CHỦ TỊCH" in [line.text for line in block.lines]


def test_recipients_whose_n_was_read_v_still_lead_to_the_block():
    image, vie = last_page(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    without_name = PageText(text.width, text.height, [line for line in text.lines if "Hà" not in line.text])
    recipients = next(line for line in without_name.lines if line.text.startswith("Nơi"))
    recipients.words[0].text = "Với"
    block = read_signature_block(image, without_name, DPI, vie, holds_the_signer)
    assert block is not None and "Trần Hồng Hà" in [line.text for line in block.lines]


def test_the_first_recipient_leads_to_the_block_where_noi_nhan_was_not_read():
    image, vie = last_page(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    lost = PageText(text.width, text.height, [line for line in text.lines
                                              if "Hà" not in line.text and not line.text.startswith("Nơi")])
    block = read_signature_block(image, lost, DPI, vie, holds_the_signer)
    assert block is not None and "Trần Hồng Hà" in [line.text for line in block.lines]


def test_a_name_whose_family_name_was_lost_is_read_again():
    """A seal's rim over the family name leaves a line that still looks like a name ("Hồng Hà" for Trần Hồng
    Hà): only the names lexicon tells it is not a whole one."""
    image, vie = last_page(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    name = next(line for line in text.lines if line.text == "Trần Hồng Hà")
    name.words.pop(0)
    block = read_signature_block(image, text, DPI, vie, holds_the_signer)
    assert block is not None and "Trần Hồng Hà" in [line.text for line in block.lines]


def test_an_authority_line_without_the_position_under_it_is_read_again():
    """A page's reading that kept "KT. CHỦ TỊCH" and the name but lost "PHÓ CHỦ TỊCH" (read into the recipients'
    line, or under the seal) holds a line in capitals, but no position of the signer's own."""
    image, vie = last_page(), TesseractEngine("vie")
    text = vie.recognize(image, DPI)
    without_position = PageText(text.width, text.height, [line for line in text.lines
                                                          if "TỊCH" not in line.text or "KT." in line.text])
    assert any(line.text == "KT. CHỦ TỊCH" for line in without_position.lines)
    block = read_signature_block(image, without_position, DPI, vie, holds_the_signer)
    assert block is not None and "PHÓ CHỦ TỊCH" in [line.text for line in block.lines]


def test_the_signer_is_held_only_by_a_position_read_whole_and_a_known_name():
    name = ["Trần", "Hồng", "Hà"]
    assert holds_the_signer([["PHÓ", "CHỦ", "TỊCH"], name])
    assert holds_the_signer([["BỘ", "TRƯỞNG,", "CHỦ", "NHIỆM"], ["—_—", "Trần", "Hồng", "Hà"]])  # debris before it
    assert not holds_the_signer([["KT.", "CHỦ", "TỊCH"], name])  # the authority, not the signer's position
    assert not holds_the_signer([["_nfT", "CHÁNH", "THANH", "TRA"], name])  # "KT." mangled: whose title is it?
    assert not holds_the_signer([["PHÓ", "CHỦ", "TỊCH"], ["Hồng", "Hà"]])  # the family name lost
    assert not holds_the_signer([["PHÓ", "CHỦ", "TỊCH"], ["TRẦN", "HỒNG", "HÀ"]])  # capitals: a title's words
