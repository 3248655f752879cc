"""The portal's pages in a real browser (Debian's Chromium driven by Playwright): sign-in, search without
marks, a record's page, what an officer without clearance never sees, login throttling, and the
security headers. Screenshots of the main pages go to .cache/screenshots for the README."""
import pytest
from playwright.sync_api import Page, sync_playwright

from tests.conftest import ROOT
from tests.portal_server import PASSWORD, SECRET_WORD

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
    assert "kế hoạch chuyển đổi số" in page.locator("#page-1").inner_text()
    screenshot(page, "record")


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
    assert SECRET_WORD in page.locator("#page-1").inner_text()


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
