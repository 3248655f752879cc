"""Access control inside the query, on the embedded index and a real Elasticsearch alike: for every
clearance, unit and grant, search answers exactly the records the viewer may see, and its totals,
facets and highlights count nothing else."""
import itertools

import pytest

from sohoa.archive.search import SearchFilters, SearchRequest, every_hit
from sohoa.core.access import Viewer

from tests.test_index import open_index

SECRECY = {None: 0, "MẬT": 1, "TỐI MẬT": 2, "TUYỆT MẬT": 3}
MODES = ("01", "02", "03")
UNITS = ("VP", "KH")
TYPES = ("Quyết định", "Công văn", "Tờ trình")


def record(secrecy, mode, unit, n):
    doc_id = f"HS-{n:02d}.1"
    return {"doc_id": doc_id, "file_code": doc_id[:-2], "doc_ordinal": 1, "type_name": TYPES[n % 3], "type_code": "02",
            "code_number": str(n), "code_notation": "QĐ-UBND", "issued_date": f"{2000 + n}-01-02",
            "organ_name": f"SỞ {n % 4}", "subject": f"Kế hoạch số {n}", "signer_name": None, "secrecy": secrecy,
            "access_mode": mode, "unit": unit, "pages": [{"number": 1, "text": f"kế hoạch mật danh {n}"}],
            "needs_review": False}


RECORDS = [record(s, m, u, n) for n, (s, m, u) in enumerate(itertools.product(SECRECY, MODES, UNITS))]


def allowed(viewer: Viewer) -> set[str]:
    """The rule of the portal issue, stated here on its own: clearance covers the secrecy level, and the
    dossier is open, or the viewer's unit owns it, or the viewer holds a grant for it."""
    return {r["doc_id"] for r in RECORDS if SECRECY[r["secrecy"]] <= viewer.clearance
            and (r["access_mode"] == "01" or r["unit"] == viewer.unit
                 or {r["doc_id"], r["file_code"]} & viewer.grants)}


VIEWERS = [Viewer(f"u{clearance}{unit}{len(grants)}", clearance, unit, grants)
           for clearance in range(4) for unit in ("VP", "KH", None)
           for grants in (frozenset(), frozenset({"HS-03.1", "HS-11"}))]  # a record (02, KH) and a dossier (03, KH)


@pytest.fixture(scope="module", params=["embedded", "elasticsearch"])
def index(request, tmp_path_factory):
    idx = open_index(request.param, request, tmp_path_factory.mktemp("index"))
    idx.upsert(RECORDS)
    yield idx
    idx.close()


def test_every_viewer_finds_exactly_the_records_they_may_see(index):
    for viewer in VIEWERS:
        expected = allowed(viewer)
        assert expected == {r["doc_id"] for r in RECORDS if viewer.may_see(r)}, viewer
        request = SearchRequest("ke hoach", size=5, viewer=viewer)
        page = index.search(request)
        assert page.total == len(expected), viewer
        assert {h["doc_id"] for h in every_hit(index, request)} == expected, viewer
        for facet in ("type", "organ"):  # fewer values than a facet lists: the counts add up to the total
            assert sum(n for _, n in page.facets[facet]) == len(expected), (viewer, facet)
        for doc_id in (r["doc_id"] for r in RECORDS):
            one = index.search(SearchRequest(filters=SearchFilters(doc_id=doc_id), facets=False, viewer=viewer))
            assert [h["doc_id"] for h in one.hits] == ([doc_id] if doc_id in expected else []), (viewer, doc_id)


def test_the_matrix_holds_what_the_rule_says(index):
    """Spot checks of the rule itself, so the matrix cannot agree with a wrong oracle."""
    def sees(viewer):
        return {h["doc_id"] for h in every_hit(index, SearchRequest(viewer=viewer))}
    nobody = Viewer("guest", 0, None)
    assert sees(nobody) == {"HS-00.1", "HS-01.1"}  # open and not secret: the only ones
    officer_vp = Viewer("an", 0, "VP")
    assert sees(officer_vp) == {"HS-00.1", "HS-01.1", "HS-02.1", "HS-04.1"}  # + VP's conditional and restricted
    cleared_kh = Viewer("binh", 1, "KH")
    assert "HS-11.1" in sees(cleared_kh) and "HS-10.1" not in sees(cleared_kh)  # MẬT of KH, not of VP (03)
    assert "HS-06.1" in sees(cleared_kh)  # MẬT but open access: clearance is enough
    assert "HS-23.1" not in sees(Viewer("chi", 2, "KH", frozenset({"HS-23"})))  # a grant never lifts secrecy
    assert not sees(Viewer("d", 3, None)) - sees(Viewer("d", 3, "VP"))
