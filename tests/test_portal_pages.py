"""The portal's pages in a real browser (Debian's Chromium driven by Playwright): sign-in, search without
marks, a record's page, what an officer without clearance never sees, login throttling, and the
security headers. Screenshots of the main pages go to .cache/screenshots for the README."""
import csv
import datetime as dt
import io
import json
import re
import time

import pytest
from playwright.sync_api import Page, sync_playwright

from servers import keycloak
from tests.conftest import ROOT, run_sohoa
from tests.portal_server import PASSWORD, SECRET_WORD, expire_grants, in_portal

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / ".cache" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, portal) -> Page:
    context = browser.new_context(base_url=portal["url"], locale="vi-VN", viewport={"width": 1280, "height": 860})
    yield context.new_page()
    context.close()


def sign_in(page: Page, login: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_an_officer_signs_in_and_finds_records_without_typing_marks(page):
    page.goto("/")
    assert page.url.endswith("/login?next=/")  # nothing without signing in
    screenshot(page, "login")
    sign_in(page, "an")
    page.get_by_role("searchbox").fill("ke hoach chuyen doi")
    page.get_by_role("searchbox").press("Enter")
    assert page.locator("#total").inner_text() == "1 văn bản"
    assert page.locator("mark").first.inner_text() in ("kế", "hoạch", "chuyển", "đổi")
    screenshot(page, "search")
    page.get_by_role("link", name="Quyết định số 15/QĐ-UBND").click()
    assert page.locator("h1").inner_text() == "Về việc phê duyệt kế hoạch"
    # The scan in PDF.js, the words the search matched highlighted on the page through its text layer
    highlighted = page.locator("#viewer .textLayer .highlight")
    highlighted.first.wait_for()
    assert {"kế", "hoạch", "chuyển", "đổi"} <= {t.strip() for t in highlighted.all_inner_texts()}
    page.locator("#viewer-container[data-ready]").wait_for(state="attached")
    assert page.get_by_role("button", name="Trang 1").is_visible()  # a thumbnail
    screenshot(page, "record")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản sao (PDF)").click()
    copy = download.value.path().read_bytes()
    assert copy.startswith(b"%PDF") and download.value.suggested_filename.startswith("HS-OPEN.1-ban-sao-")


def test_an_officer_signs_in_through_the_agencys_identity_provider_only_with_a_portal_account(page, portal):
    def through_provider(login):
        page.get_by_role("link", name="Đăng nhập bằng tài khoản của cơ quan").click()
        page.locator("#username").fill(login)  # Keycloak's own sign-in page
        page.locator("#password").fill(keycloak.PASSWORD)
        page.locator("#kc-login").click()

    keycloak.wait_until_ready(portal["oidc_issuer"], timeout_s=300)
    page.goto("/login?next=/dossiers/HS-OPEN")
    through_provider("an")
    page.wait_for_url(portal["url"] + "dossiers/HS-OPEN")
    assert page.locator(".account").inner_text() == "an"
    in_portal(portal, "assert User.objects.get(username='an').oidc_subject")  # bound to the provider's subject
    page.get_by_role("button", name="Đăng xuất").click()  # out of the portal and of the provider
    page.wait_for_url(re.compile(r"/login$"))
    for login in ("lan", "quan"):  # known to the provider only; the portal's administrator
        through_provider(login)  # the provider asks for a login again: nobody is still signed in there
        page.wait_for_url(re.compile(r"/login$"))
        assert "chưa có quyền dùng cổng" in page.locator(".messages").inner_text()
        page.context.clear_cookies()  # lan is still signed in at the provider: a new browser for quan
    assert page.goto("/").url.endswith("/login?next=/")


def test_an_officer_works_by_keyboard_alone_on_a_tablet(browser, portal):
    context = browser.new_context(base_url=portal["url"], locale="vi-VN", viewport={"width": 768, "height": 1024},
                                  has_touch=True)
    page = context.new_page()
    page.goto("/login")
    page.wait_for_function("document.activeElement.id === 'id_username'")  # the login field has the focus
    page.keyboard.type("an")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(portal["url"])
    page.wait_for_function("document.activeElement.id === 'q'")  # and now the search field
    page.keyboard.type("ke hoach")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q=ke"))
    for _ in range(80):  # on through the page, every stop showing where the focus is, to the first hit
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.getAttribute('href') || '', "
                                "document.activeElement.outerHTML.slice(0, 120), "
                                "getComputedStyle(document.activeElement).outlineStyle]")
        assert focused[2] != "none", focused
        if focused[0].startswith("/records/"):
            break
    assert focused[0].startswith("/records/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/records/"))
    for path in (page.url, "/?q=ke+hoach", "/requests"):  # nothing wider than the tablet's screen
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    context.close()


def test_an_officer_without_clearance_sees_neither_the_secret_record_nor_any_count_of_it(page):
    sign_in(page, "an")
    page.goto("/?q=ke+hoach")
    text = page.locator("main").inner_text()
    assert "1 văn bản" in text and "HS-MAT" not in text and "MẬT" not in text
    assert all(int(n) <= 1 for n in page.locator(".facets .count").all_inner_texts())
    page.goto(f"/?q={SECRET_WORD}")
    assert page.locator("#total").inner_text() == "0 văn bản"
    assert page.goto("/records/HS-MAT.1").status == 404
    assert SECRET_WORD not in page.content()


def test_a_cleared_officer_of_the_owning_unit_sees_the_secret_record_marked_as_such(page):
    sign_in(page, "binh")
    page.goto(f"/?q={SECRET_WORD}")
    assert page.locator("#total").inner_text() == "1 văn bản"
    assert page.locator(".hit .badge.secret").inner_text() == "MẬT"
    page.locator(".hit a.title").click()
    assert SECRET_WORD in page.locator("#page-1").text_content()  # the OCR text, folded away


def test_guessing_passwords_locks_the_account_out(page):
    for _ in range(5):
        sign_in(page, "dung", "wrong-password-0")
    sign_in(page, "dung")  # the right one, too late
    assert "Tạm khóa đăng nhập" in page.locator("h1").inner_text()


def test_pages_carry_a_content_security_policy_and_no_inline_script(page):
    answer = page.goto("/login")
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert answer.headers["x-frame-options"] == "DENY"
    assert page.locator("script:not([src])").count() == 0
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["csrftoken"]["httpOnly"] and cookies["csrftoken"]["sameSite"] == "Lax"


def test_an_auditor_sees_each_reading_and_refusal_in_the_portal_and_as_csv(page):
    sign_in(page, "an")
    page.goto("/records/HS-OPEN.1")
    page.goto("/records/HS-MAT.1")  # refused
    assert page.goto("/audit").status == 403  # an officer is no auditor
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, "kiem")
    page.goto("/audit?type=access")
    rows = page.locator("table.events tbody tr").all_inner_texts()
    assert any("an" in row and "HS-OPEN.1 viewed in the portal" in row and "success" in row for row in rows)
    assert any("an" in row and "HS-MAT.1 refused (viewed in the portal)" in row and "failure" in row for row in rows)
    screenshot(page, "audit")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải CSV").click()
    table = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert {"time", "type", "outcome", "file_code", "actor", "detail"} <= set(table[0])
    assert any(row["actor"] == "an" and row["detail"] == "HS-MAT.1 refused (viewed in the portal): "
               "no such record or not permitted" for row in table)


def test_a_reading_request_is_approved_by_the_owning_units_approver_and_access_ends_with_the_grant(page, portal):
    sign_in(page, "em")
    assert page.goto("/records/HS-KH.1").status == 404  # another unit's conditional record
    forged = page.request.post("/api/requests", data={"target": "HS-KH.1", "purpose": "sent by another site"})
    assert forged.status == 403  # the session's cookie alone, without its CSRF token, changes nothing
    page.goto("/requests")
    page.get_by_label("Mã văn bản (doc_id)").fill("HS-KH.1")
    page.get_by_label("Mục đích khai thác").fill("Nghiên cứu lịch sử chuyển đổi số")
    page.get_by_label("Thời hạn được khai thác (ngày)").fill("1")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    assert "Đã gửi yêu cầu số" in page.locator(".messages").inner_text()
    row = page.locator("table.requests tbody tr").first
    sent, due = (dt.datetime.strptime(row.locator("td").nth(n).inner_text()[:16], "%d/%m/%Y %H:%M") for n in (3, 4))
    assert dt.timedelta(days=7) <= due - sent <= dt.timedelta(days=11)  # 7 working days: conditional access
    assert "Chờ duyệt" in row.inner_text()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, "phe")
    page.goto("/requests/queue")
    request = page.get_by_role("region", name=re.compile("Yêu cầu số"))
    assert "Nghiên cứu lịch sử chuyển đổi số" in request.inner_text() and "em (VP)" in request.inner_text()
    screenshot(page, "requests")
    request.get_by_label("Lý do").fill("Phục vụ nghiên cứu, đúng mục đích")
    request.get_by_role("button", name="Duyệt").click()
    assert "đã duyệt" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, "em")
    assert page.goto("/records/HS-KH.1").status == 200
    expires = expire_grants(portal, "em", seconds=2)
    time.sleep(max(0.0, (expires - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 0.5)
    assert page.goto("/records/HS-KH.1").status == 404


def test_a_dossiers_table_of_contents_lists_only_the_documents_the_user_may_see(page):
    sign_in(page, "an")
    page.goto("/dossiers/HS-OPEN")
    assert page.locator("table.contents tbody tr").count() == 2  # not its secret third document
    assert "MẬT" not in page.locator("main").inner_text()
    assert page.goto("/dossiers/HS-MAT").status == 404  # a dossier of nothing visible: as if none
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, "binh")
    page.goto("/dossiers/HS-OPEN")
    rows = page.locator("table.contents tbody tr").all_inner_texts()
    assert len(rows) == 3 and "MẬT" in rows[2]


def test_a_search_is_saved_run_again_and_deleted(page):
    sign_in(page, "chi")
    page.goto("/?q=ke+hoach&sort=newest")
    page.get_by_label("Lưu tìm kiếm này với tên").fill("Kế hoạch mới nhất")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.goto("/")
    page.get_by_role("link", name="Kế hoạch mới nhất").click()
    assert page.get_by_role("searchbox").input_value() == "ke hoach"
    assert page.locator("select[name=sort]").input_value() == "newest"
    page.get_by_role("button", name="Xóa Kế hoạch mới nhất").click()
    assert page.get_by_role("link", name="Kế hoạch mới nhất").count() == 0


def test_an_admin_manages_accounts_and_reads_the_copy_register_in_the_admin_pages(page, portal):
    sign_in(page, "an")
    assert page.request.get("/records/HS-OPEN.1/copy.pdf").ok  # a copy, entered in the register
    # not when another site's page sends the browser there: each copy spent is one the user asked for
    assert page.request.get("/records/HS-OPEN.1/copy.pdf", headers={"Sec-Fetch-Site": "cross-site"}).status == 403
    assert "/admin/login/" in page.goto("/admin/").url  # an officer is no staff
    page.context.clear_cookies()
    sign_in(page, "quan")
    page.goto("/admin/portal/user/")
    assert {"an", "binh", "phe"} <= set(page.locator("#result_list .field-username").all_inner_texts())
    page.goto("/admin/portal/copyentry/")
    rows = page.locator("#result_list tbody tr").all_inner_texts()
    assert any("HS-OPEN.1" in row and "an" in row for row in rows)
    page.goto("/admin/portal/grant/add/")  # a grant outside any request is in the audit trail all the same
    page.select_option("#id_user", label="dung")
    page.fill("#id_target", "HS-KH.1")
    page.fill("#id_reason", "Phối hợp công tác")
    page.fill("#id_expires_0", "2030-01-01")
    page.fill("#id_expires_1", "08:00:00")
    page.click("input[name=_save]")
    assert page.url.endswith("/admin/portal/grant/")
    page.goto("/admin/portal/user/")  # and so is a change of clearance
    page.get_by_role("link", name="giang", exact=True).click()
    page.select_option("#id_clearance", "mat")
    page.click("input[name=_save]")
    logged = run_sohoa(portal["home"], "audit", "events", "--type", "policy assignment", "--json", env=portal["env"])
    details = [e["detail"] for e in map(json.loads, logged.stdout.splitlines()) if e["actor"] == "quan"]
    assert any(re.match(r"grant \d+ made: dung may read HS-KH.1 until 2030-01-01 08:00; reason: Phối hợp công tác "
                        r"\(in the admin pages\)", d) for d in details), details
    assert "account giang changed: clearance 'toi-mat' -> 'mat' (in the admin pages)" in details


def test_the_portal_speaks_english_as_its_second_language(page):
    sign_in(page, "an")
    page.goto("/?q=ke+hoach")
    page.get_by_role("button", name="English").click()
    assert page.locator("#total").inner_text() == "1 record"
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.get_by_label("Search the text and metadata of records (Vietnamese marks optional)").is_visible()
    page.locator("form.language button[value=vi]").click()  # Django's own name for it is not in NFC
    assert page.locator("#total").inner_text() == "1 văn bản"
