"""Time to settle a flagged record by keyboard in the review workstation, in a real browser.

    python -m bench.review [--dossiers 6] [--records 30]

Generates and ingests a batch on the embedded defaults (veraPDF validating each PDF/A when installed, as in
production), flags its records for review through the API, then settles them one after another in Debian's
Chromium as a reviewer would: the number field is focused, a corrected number typed, Enter pressed. Each
settle is timed from Enter to the next record's screen with its page images shown: the save (a new AIP
version: PDF/A text layer rewritten and validated, EAD, PREMIS, METS, manifest, audit event), the next page's
load and the image rendering. Prints the median and p95 in seconds as JSON; the issue's target is 10 s.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.portal import serve, sohoa

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "bench-password-long-enough"
UNIT = "VT"


def api(url: str, token: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(url + path, method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.loads(answer.read())


def settle_all(url: str, count: int) -> list[float]:
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_context(base_url=url, viewport={"width": 1280, "height": 860}).new_page()
        page.goto("/login")
        page.locator("#id_username").fill("reviewer")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.goto("/review")
        page.locator(".summary a.button").click()
        for n in range(count):
            page.locator("#viewer-container[data-ready]").wait_for(state="attached")
            page.locator("#f-code_number").focus()
            page.keyboard.type(str(9000 + n))
            started = time.perf_counter()
            with page.expect_navigation():
                page.keyboard.press("Enter")
            if n < count - 1:
                page.locator("#viewer-container[data-ready]").wait_for(state="attached")
            times.append(time.perf_counter() - started)
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=6)
    parser.add_argument("--records", type=int, default=30, help="records to flag and settle, at most")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-review-") as folder:
        home = Path(folder) / "home"
        env = {**os.environ, "SOHOA_HOME": str(home), "PREFECT_HOME": str(home / "prefect"), "SOHOA_UNIT": UNIT,
               "SOHOA_CHECKPOINT_KEY": str(Path(folder) / "checkpoint.pem")}
        sohoa(env, "generate", str(Path(folder) / "scans"), "--dossiers", str(args.dossiers))
        subprocess.run([sys.executable, "-m", "sohoa.cli", "ingest", str(Path(folder) / "scans" / "batch")], env=env,
                       capture_output=True, timeout=3600)
        sohoa(env, "user", "add", "reviewer", "--role", "archivist", "--clearance", "tuyet-mat", "--unit", UNIT,
              stdin=PASSWORD + "\n")
        token = sohoa(env, "user", "token", "reviewer").strip()
        server, host, port = serve(env)
        url = f"http://{host}:{port}/"
        try:
            hits = api(url, token, f"api/search?sort=dossier&limit={args.records}")["hits"]
            for hit in hits:
                api(url, token, f"api/records/{hit['doc_id']}/corrections",
                    {"reason": "code_number: benchmark", "needs_review": True})
            time.sleep(2)  # the background indexing of the flags
            times = settle_all(url, len(hits))
        finally:
            server.terminate()
            server.wait(timeout=30)
    ordered = sorted(times)
    print(json.dumps({"records settled": len(times), "median s": round(statistics.median(times), 2),
                      "p95 s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
                      "max s": round(ordered[-1], 2), "target s": 10}, indent=1))


if __name__ == "__main__":
    main()
