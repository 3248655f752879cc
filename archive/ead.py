"""EAD 2002 descriptions of a dossier (EAD.xml) and of each of its documents (EAD_doc_<n>.xml).

Fields follow Decree 30 Phụ lục VI and Circular 05: what EAD has an element for goes there
(unitid, unittitle, unitdate, origination, physdesc, langmaterial, accessrestrict, appraisal);
the rest (type code, number, notation, secrecy, urgency, confidence level) goes in <odd> with
its TT05 field name as the type, so nothing is lost and a reader can map it back.
"""
from sohoa.archive.xml import XLINK, Builder, serialise

EAD = "urn:isbn:1-931666-22-9"
RETENTION = {"01": "Vĩnh viễn", "02": "70 năm", "03": "50 năm", "04": "30 năm", "05": "20 năm",
             "06": "10 năm", "07": "Khác"}
ACCESS_MODE = {"01": "Công khai", "02": "Sử dụng có điều kiện", "03": "Mật"}
CONFIDENCE_LEVEL = {"01": "Gốc điện tử", "02": "Số hóa", "03": "Hỗn hợp"}


def _b() -> Builder:
    return Builder(EAD, {None: EAD, "xlink": XLINK})


def _header(b: Builder, identifier: str, title: str, created: str):
    return b("eadheader", {"langencoding": "iso639-2b", "dateencoding": "iso8601"},
             b("eadid", {}, identifier),
             b("filedesc", {}, b("titlestmt", {}, b("titleproper", {}, title))),
             b("profiledesc", {}, b("creation", {}, "sohoa ", b("date", {"normal": created[:10]}, created)),
               b("langusage", {}, b("language", {"langcode": "vie"}, "Tiếng Việt"))))


def _odd(b: Builder, name: str, value) -> object:
    return b("odd", {"type": name}, b("p", {}, str(value))) if value not in (None, "") else None


def dossier_ead(dossier: dict, created: str) -> bytes:
    """The dossier (hồ sơ) as one archival unit of level "file"."""
    b = _b()
    dates = [d for d in (dossier.get("start_date"), dossier.get("end_date")) if d]
    retention, access = dossier["retention"], dossier["access_mode"]
    did = b("did", {},
            b("unitid", {"type": "file_code"}, dossier["file_code"]),
            b("unitid", {"type": "paper_file_code"}, dossier["paper_file_code"])
            if dossier.get("paper_file_code") else None,
            b("unittitle", {}, dossier["title"]),
            b("unitdate", {"type": "inclusive", "normal": "/".join(dates)}, " – ".join(dates)) if dates else None,
            b("origination", {}, b("corpname", {}, dossier["organ_name"])) if dossier.get("organ_name") else None,
            b("langmaterial", {}, b("language", {"langcode": "vie"}, "Tiếng Việt")),
            b("physdesc", {}, b("extent", {"unit": "documents"}, str(dossier["documents"])),
              b("extent", {"unit": "pages"}, str(dossier["pages"]))))
    archdesc = b("archdesc", {"level": "file"}, did,
                 b("accessrestrict", {"type": f"access_mode:{access}"}, b("p", {}, ACCESS_MODE.get(access, access))),
                 b("appraisal", {"type": f"retention:{retention}"}, b("p", {}, RETENTION.get(retention, retention))),
                 b("scopecontent", {}, b("p", {}, dossier["description"])) if dossier.get("description") else None,
                 b("controlaccess", {}, [b("subject", {}, k) for k in dossier["keywords"]])
                 if dossier.get("keywords") else None)
    return serialise(b("ead", {}, _header(b, dossier["file_code"], dossier["title"], created), archdesc))


def document_ead(record: dict, pdf_href: str, created: str) -> bytes:
    """One document (văn bản) as an archival unit of level "item", pointing at its PDF/A."""
    b = _b()
    code = "/".join(v for v in (record.get("code_number"), record.get("code_notation")) if v)
    title = record.get("subject") or record.get("type_name") or record["doc_id"]
    signer = record.get("signer_name")
    did = b("did", {},
            b("unitid", {"type": "doc_id"}, record["doc_id"]),
            b("unitid", {"type": "code_number_notation"}, code) if code else None,
            b("unittitle", {}, title),
            b("unitdate", {"normal": record["issued_date"]}, record["issued_date"])
            if record.get("issued_date") else None,
            b("origination", {}, b("corpname", {}, record["organ_name"])) if record.get("organ_name") else None,
            b("langmaterial", {}, b("language", {"langcode": "vie"}, "Tiếng Việt")),
            b("physdesc", {},
              b("genreform", {"type": "type_name"}, record["type_name"]) if record.get("type_name") else None,
              b("extent", {"unit": "pages"}, str(record["page_amount"]))),
            b("dao", {"xlink:type": "simple", "xlink:href": pdf_href, "xlink:title": record["doc_id"]}))
    odd = [_odd(b, name, record.get(name)) for name in (
        "doc_ordinal", "type_code", "code_number", "code_notation", "place", "parent_organ", "signing_authority",
        "signer_position", "secrecy", "urgency", "confidence_level")]
    archdesc = b("archdesc", {"level": "item"}, did,
                 b("controlaccess", {}, b("persname", {"role": "signer"}, signer)) if signer else None,
                 odd,
                 _odd(b, "needs_review", "; ".join(record["review_reasons"]) if record.get("needs_review") else None))
    return serialise(b("ead", {}, _header(b, record["doc_id"], title, created), archdesc))
