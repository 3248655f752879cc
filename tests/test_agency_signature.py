"""The agency's signature on every PDF/A at ingest, against a real PKI made by the tests (a root and an
intermediate CA, an OCSP responder, CRLs and a time-stamping authority on loopback), with the key in a
PKCS#12 file or on a SoftHSM token (PKCS#11)."""
import csv
import datetime as dt
import io
import json
import random
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from asn1crypto import x509
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from sohoa.archive.signature_check import check_signatures
from sohoa.archive.signing_keys import token_name
from sohoa.archive.stamp import CopyStamp
from sohoa.archive.trust_roots import load_trust_roots
from sohoa.archive.validate import run_verapdf
from sohoa.core.access import Viewer
from sohoa.core.errors import ConfigurationError, PinRefused, SigningUnavailable
from sohoa.core.settings import Settings
from sohoa.pipeline.agency_signing import check_signing_key, signed_now, signed_pdfs
from sohoa.pipeline.backends import open_backends
from sohoa.pipeline.copies import make_copy
from sohoa.pipeline.corrections import Correction, correct_record
from sohoa.pipeline.token_logins import TokenLogins

from tests.conftest import copy_batch, export_records, run_sohoa, sohoa_env, store_and_audit_log
from tests.pki import PASSPHRASE, PIN, SOFTHSM, free_port, make_token, start_pki
from tests.sample_pdfa import grey_pdfa


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    pki, stop = start_pki(tmp_path_factory.mktemp("pki"))
    yield pki
    stop()


@pytest.fixture(scope="module")
def one_dossier(generated, truth, tmp_path_factory):
    smallest = min(truth["dossiers"], key=lambda d: d["page_count"])
    return copy_batch(generated, tmp_path_factory.mktemp("in") / "batch", [smallest["source"]])


def pkcs12_signing(pki, label: str = "signer", tsa: bool = True) -> dict:
    env = {"SOHOA_SIGNING": "on", "SOHOA_SIGNING_PKCS12": str(pki.pkcs12(label)), "SOHOA_SIGNING_PIN": PASSPHRASE,
           "SOHOA_TRUST_ROOTS": str(pki.trust_roots), "SOHOA_PDFA_VALIDATION": "on"}
    return {**env, "SOHOA_TSA_URL": pki.tsa_url} if tsa else env


def stored_pdfs(home) -> dict[str, bytes]:
    store, _ = store_and_audit_log(home)
    records = [json.loads(store.get(key)) for key in store.list("dossiers/") if "/records/" in key]
    return {r["doc_id"]: (r, store.get(r["pdf"]["key"])) for r in records}


def validated(pdf: bytes, pki):
    """pyHanko's verdict on the agency's signature, from the trust roots only (revocation data fetched)."""
    context = ValidationContext(trust_roots=load_trust_roots(pki.trust_roots), allow_fetching=True,
                                revocation_mode="hard-fail")
    reader = PdfFileReader(io.BytesIO(pdf))
    return reader, validate_pdf_signature(reader.embedded_regular_signatures[0], context)


def test_ingest_signs_every_pdfa_and_veraPDF_still_passes_it(pki, one_dossier, tmp_path):
    home = tmp_path / "home"
    done = run_sohoa(home, "ingest", str(one_dossier), "--json", env=pkcs12_signing(pki))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    documents = stored_pdfs(home)
    assert documents
    for doc_id, (record, pdf) in documents.items():
        reader, status = validated(pdf, pki)
        assert status.intact and status.valid and status.trusted and status.bottom_line, status.pretty_print_details()
        assert status.timestamp_validity is not None and reader.embedded_timestamp_signatures  # B-LTA
        assert record["signature"]["level"] == "PAdES B-LTA"
        assert record["signature"]["agency"] == "Trung tâm Lưu trữ lịch sử tỉnh Ninh Bình"
        assert record["signature"]["signed_at"].endswith("+07:00")
        assert record["pdfa"]["valid"] is True  # veraPDF judged the signed file
        signed_bytes = reader.embedded_regular_signatures[0].signed_revision
        assert signed_bytes >= 1  # the signature is an update over the unchanged PDF/A
    pdf_path = tmp_path / "signed.pdf"
    pdf_path.write_bytes(next(iter(documents.values()))[1])
    assert run_verapdf([pdf_path], Settings.from_env().verapdf_lib)[0].valid
    _, audit = store_and_audit_log(home)
    signed_events = [e["event"] for e in audit.entries() if e["event"]["type"] == "digital signature generation"]
    assert len(signed_events) == len(documents)
    assert all("PAdES B-LTA" in e["detail"] and e["outcome"] == "success" for e in signed_events)

    # A correction rewrites the PDF/A's text layer: the new version is signed again, once, over the unsigned
    # PDF/A (an old signature carried over would be broken by the rewrite).
    doc_id = next(iter(documents))
    settings = Settings.from_env({**sohoa_env(home), **pkcs12_signing(pki)})
    with open_backends(settings) as backends:
        corrected = correct_record(backends, settings, Correction(doc_id, {"subject": "Về việc thử ký lại"}, "thử",
                                                                  "lan"))
        backends.index.upsert([corrected])
    revised = store_and_audit_log(home)[0].get(corrected["pdf"]["key"])
    reader, status = validated(revised, pki)
    assert [s.field_name for s in reader.embedded_regular_signatures] == ["ChuKySoCoQuan"] and status.bottom_line
    assert corrected["signature"]["level"] == "PAdES B-LTA" and corrected["pdfa"]["valid"] is True
    _, audit = store_and_audit_log(home)
    assert "its PDF/A signed again by the agency" in list(audit.entries())[-1]["event"]["detail"]
    checked = run_sohoa(home, "verify", env={"SOHOA_TRUST_ROOTS": str(pki.trust_roots)})
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert f"{len(documents)} signatures" in checked.stderr  # those of the current version

    # A copy handed out is stamped over the PDF/A without its signature, then certified by a signature of its own.
    with open_backends(settings) as backends:
        copy = make_copy(backends, Viewer("lan", 0), corrected, CopyStamp("Bản sao số 1/2026 cấp cho Lan", "Trung tâm",
                                                                          True), "copy 1 made", certified_by=settings)
    reader, status = validated(copy, pki)
    assert [s.field_name for s in reader.embedded_regular_signatures] == ["ChuKySoCoQuan"] and status.bottom_line
    assert "BẢN SAO" in subprocess.run(["pdftotext", "-", "-"], input=copy, capture_output=True).stdout.decode()


@pytest.fixture(scope="module")
def token_signing(pki, tmp_path_factory) -> dict:
    """The environment that signs with the agency's key on a SoftHSM token (its PIN not set)."""
    assert SOFTHSM.exists(), "softhsm2 missing: ./bootstrap.sh test installs it"
    return {**make_token(pki, tmp_path_factory.mktemp("hsm")), "SOHOA_SIGNING": "on",
            "SOHOA_SIGNING_PKCS11_MODULE": str(SOFTHSM), "SOHOA_SIGNING_TOKEN": "sohoa",
            "SOHOA_SIGNING_KEY_LABEL": "signer", "SOHOA_TRUST_ROOTS": str(pki.trust_roots)}


def test_a_key_on_a_pkcs11_token_signs_without_leaving_it(pki, token_signing, one_dossier, tmp_path):
    home = tmp_path / "home"
    done = run_sohoa(home, "ingest", str(one_dossier), "--json", env={**token_signing, "SOHOA_SIGNING_PIN": PIN})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert PIN not in done.stdout + done.stderr
    for record, pdf in stored_pdfs(home).values():
        _, status = validated(pdf, pki)
        assert status.bottom_line, status.pretty_print_details()
        assert record["signature"]["level"] == "PAdES B-B, validation data embedded"  # no time-stamping authority


OPENING = "from sohoa.core.settings import Settings; from sohoa.pipeline.agency_signing import check_signing_key;" \
          "check_signing_key(Settings.from_env())"


def blocked_on(lock: Path) -> int:
    """How many processes wait for the flock on this file."""
    inode = lock.stat().st_ino
    return sum(1 for line in Path("/proc/locks").read_text().splitlines()
               if "->" in line and line.split()[-3].endswith(f":{inode}"))


def test_processes_racing_with_a_wrong_pin_try_it_once_and_no_process_tries_it_again(token_signing, tmp_path):
    pin_file = tmp_path / "pin"
    pin_file.write_text("0000\n")
    env = {**sohoa_env(tmp_path / "home"), **token_signing, "SOHOA_SIGNING_PIN_FILE": str(pin_file)}
    settings = Settings.from_env(env)
    logins = TokenLogins(settings.home / "signing", token_name(settings.signing.pkcs11_module, "sohoa"))
    with logins.one_at_a_time():  # held here until all three wait for it: they then race for the token
        racing = [subprocess.Popen([sys.executable, "-c", OPENING], env=env, stderr=subprocess.PIPE, text=True)
                  for _ in range(3)]
        deadline = time.monotonic() + 60
        while blocked_on(logins.lock) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert blocked_on(logins.lock) == 3  # each waits for the token's login lock
    errors = [process.communicate(timeout=120)[1] for process in racing]
    assert sum("the PIN was refused (PinIncorrect)" in error for error in errors) == 1, errors
    assert sum("this PIN was refused at" in error and "is not tried again" in error for error in errors) == 2, errors

    def open_key(**changed):
        return subprocess.run([sys.executable, "-c", OPENING], env={**env, **changed}, capture_output=True, text=True,
                              timeout=120)

    pin_file.write_text(PIN + "\n")
    assert open_key().returncode == 0
    # A process started before the file was corrected still holds the wrong PIN: it is judged by its PIN.
    stale = open_key(SOHOA_SIGNING_PIN_FILE="", SOHOA_SIGNING_PIN="0000")
    assert "is not tried again" in stale.stderr and "PinIncorrect" not in stale.stderr, stale.stderr[-2000:]
    assert open_key().returncode == 0


def test_a_long_running_process_opens_the_token_with_the_pin_file_once_corrected(token_signing, tmp_path):
    pin_file = tmp_path / "pin"
    pin_file.write_text("1111\n")
    env = {**sohoa_env(tmp_path / "home"), **token_signing, "SOHOA_SIGNING_PIN_FILE": str(pin_file)}
    settings = Settings.from_env(env)  # read once, as the portal reads them at its start
    with pytest.raises(PinRefused, match="PinIncorrect"):
        check_signing_key(settings)
    pin_file.write_text(PIN + "\n")
    check_signing_key(settings)  # opens the token: the PIN comes from the file as it is now


def test_a_revoked_agency_certificate_archives_nothing_and_says_why(pki, one_dossier, tmp_path):
    home = tmp_path / "home"
    batch = copy_batch(one_dossier.parent, tmp_path / "batch")
    done = run_sohoa(home, "ingest", str(batch), "--json", env=pkcs12_signing(pki, "revoked", tsa=False))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert summary["archived"] == 0 and summary["quarantined"] == 0  # the scans stay in the batch for a rerun
    assert "the agency's signature could not be made" in summary["results"][0]["detail"]
    assert "revoked" in summary["results"][0]["detail"]
    assert any(batch.iterdir())


def test_a_repeat_keeps_the_signed_pdfa_an_interrupted_attempt_stored_and_nothing_else(pki, tmp_path):
    from sohoa.archive.store import LocalObjectStore

    home = str(tmp_path / "home")
    unsigned = grey_pdfa(tmp_path)
    signed, = signed_now([unsigned], Settings.from_env({**pkcs12_signing(pki, tsa=False), "SOHOA_HOME": home}))
    store = LocalObjectStore(tmp_path / "objects")
    store.put("dossiers/HS/a.pdf", signed, "application/pdf")
    store.put("dossiers/HS/b.pdf", unsigned + b"1 0 obj (not a signature) endobj\n", "application/pdf")
    # A key that cannot be opened: a repeat that needed to sign again fails.
    settings = Settings.from_env({**pkcs12_signing(pki), "SOHOA_HOME": home,
                                  "SOHOA_SIGNING_PKCS12": str(tmp_path / "nowhere.p12")})
    assert signed_pdfs([unsigned], ["dossiers/HS/a.pdf"], store, settings) == [signed]
    with pytest.raises(ConfigurationError, match="nowhere.p12: cannot read it"):  # an update that is no signature
        signed_pdfs([unsigned], ["dossiers/HS/b.pdf"], store, settings)


def test_a_damaged_signed_pdf_is_a_finding_never_an_error(pki, tmp_path):
    roots = load_trust_roots(pki.trust_roots)
    signed, = signed_now([grey_pdfa(tmp_path)], Settings.from_env({**pkcs12_signing(pki, tsa=False),
                                                                 "SOHOA_HOME": str(tmp_path / "home")}))
    assert [f.valid for f in check_signatures(signed, roots)] == [True]
    rng = random.Random(7)
    for _ in range(150):
        damaged = bytearray(signed)
        for _ in range(3):
            damaged[rng.randrange(len(signed) - 60_000, len(signed))] ^= 1 << rng.randrange(8)  # the signature's part
        assert all(not f.valid or f.detail == "valid" for f in check_signatures(bytes(damaged), roots))
    assert not check_signatures(signed[: len(signed) // 2], roots)[0].valid


def current_pdfs(home) -> dict[str, tuple[dict, bytes]]:
    """doc_id -> (its record, its PDF/A), as the current version of each dossier holds them."""
    store, _ = store_and_audit_log(home)
    return {r["doc_id"]: (r, store.get(r["pdf"]["key"])) for r in export_records(home)}


def renew(home, env: dict) -> dict:
    done = run_sohoa(home, "renew-timestamps", "--json", env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return json.loads(done.stdout)


def test_timestamps_near_their_end_or_made_with_a_weak_digest_are_renewed_as_new_versions(pki, one_dossier,
                                                                                         tmp_path):
    home = tmp_path / "home"
    done = run_sohoa(home, "ingest", str(one_dossier), "--json", env=pkcs12_signing(pki))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    before = current_pdfs(home)
    renewal = {"SOHOA_TRUST_ROOTS": str(pki.trust_roots), "SOHOA_TSA_URL": pki.renewed_tsa_url,
               "SOHOA_PDFA_VALIDATION": "on"}

    # A year's notice (the default): the first authority's certificate, 3 years from its end, is not due yet.
    assert renew(home, renewal) == {"checked": len(before), "renewed": [], "problems": [], "stopped": None}

    # With 1500 days' notice it is: every PDF/A gets a document timestamp of the second authority, appended to
    # the file, and the dossier one new version; the version before keeps its objects.
    notice = {**renewal, "SOHOA_RENEW_BEFORE_DAYS": "1500"}
    first = renew(home, notice)
    assert sorted(r["doc_id"] for r in first["renewed"]) == sorted(before) and not first["problems"]
    assert all("(Time-stamping authority (test)) expires on" in r["reason"] for r in first["renewed"])
    store, audit = store_and_audit_log(home)
    for doc_id, (record, pdf) in current_pdfs(home).items():
        old_record, old_pdf = before[doc_id]
        assert record["version"] == 2 and pdf.startswith(old_pdf) and len(pdf) > len(old_pdf)
        assert store.get(old_record["pdf"]["key"]) == old_pdf
        reader, status = validated(pdf, pki)
        assert status.intact and status.bottom_line, status.pretty_print_details()  # the agency's, untouched
        assert [t.signer_cert.subject.native["common_name"] for t in reader.embedded_timestamp_signatures] == \
            ["Time-stamping authority (test)", "Time-stamping authority, renewed (test)"]
        assert record["signature"]["protection"]["expires"].startswith("2050-01-01")
        assert record["pdfa"]["valid"] is True
        assert {**record["signature"], "protection": None} == {**old_record["signature"], "protection": None}
    renewals = [e["event"] for e in audit.entries() if "document timestamp added" in e["event"]["detail"]]
    assert len(renewals) == 1 and renewals[0]["type"] == "digital signature generation"
    assert renew(home, notice)["renewed"] == []  # what they rest on now has 23 years left

    # SHA-256 counted as weak: every file is renewed with SHA-384, once.
    weak = {**renewal, "SOHOA_WEAK_DIGESTS": "sha1,sha256"}
    second = renew(home, weak)
    assert len(second["renewed"]) == len(before) and all("sha256, counted as weak" in r["reason"]
                                                         for r in second["renewed"])
    assert all(r["signature"]["protection"]["digests"] == ["sha384", "sha512"] and r["version"] == 3
               for r, _ in current_pdfs(home).values())
    assert renew(home, weak)["renewed"] == []

    # An authority that does not answer stops the run with the reason, and nothing is changed.
    down = run_sohoa(home, "renew-timestamps", "--json", env={**renewal, "SOHOA_WEAK_DIGESTS": "sha384",
                                                              "SOHOA_TSA_URL": f"http://127.0.0.1:{free_port()}/tsa"})
    assert down.returncode == 3 and "Traceback" not in down.stderr  # a backend that did not answer
    assert "STOPPED" in down.stderr and "no document timestamp could be made" in down.stderr, down.stderr[-2000:]
    assert json.loads(down.stdout)["stopped"].startswith("stopped at dossier ")  # the report is still given
    assert all(r["version"] == 3 for r, _ in current_pdfs(home).values())
    checked = run_sohoa(home, "verify", env={"SOHOA_TRUST_ROOTS": str(pki.trust_roots)})
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-3000:]


def test_a_renewal_that_would_not_hold_is_never_committed(pki, tmp_path):
    from sohoa.archive.store import LocalObjectStore
    from sohoa.pipeline.timestamp_renewal import Renewal, RenewalReport, renewed_record

    home = str(tmp_path / "home")
    signing = Settings.from_env({**pkcs12_signing(pki, tsa=False), "SOHOA_HOME": home})
    signed, = signed_now([grey_pdfa(tmp_path)], signing)
    changed = bytearray(signed)
    changed[changed.index(b"\n%", changed.index(b"%PDF-")) + 2] ^= 0x01  # a comment inside the signed bytes
    settings = Settings.from_env({"SOHOA_HOME": home, "SOHOA_PDFA_VALIDATION": "on"})
    store = LocalObjectStore(tmp_path / "objects")
    renewal = Renewal(load_trust_roots(pki.trust_roots), pki.renewed_tsa_url, "sha256",
                      dt.datetime.now().astimezone(), "lan")
    report = RenewalReport()
    for name, pdf in (("changed", bytes(changed)), ("intact", signed)):
        stored = store.put(f"dossiers/HS/{name}.pdf", pdf, "application/pdf")
        record = {"doc_id": f"HS.{name}", "pdf": {"key": stored.key, "sha256": stored.sha256}}
        done = renewed_record(store, settings, "HS", record, 2, "due", renewal, report)
        assert (done is None) == (name == "changed")
    assert report.problems == ["HS.changed: not renewed: its signature ChuKySoCoQuan is not valid: the signed bytes "
                               "were changed after signing"]
    assert done[1].startswith(signed)
    assert done[0]["signature"]["level"] == "PAdES B-B, validation data embedded, document timestamp"
    # Its document timestamp is checked as a signature is: trusted only when its authority chains to the roots.
    assert [(f.kind, f.valid) for f in check_signatures(done[1], renewal.roots)] == \
        [("signature", True), ("document timestamp", True)]
    below_root = [x509.Certificate.load(pki.certificate_der("interm"))]  # the agency's CA, not the authority's
    signature, timestamp = check_signatures(done[1], below_root)
    assert signature.valid and not timestamp.valid and "does not chain to the trust roots" in timestamp.detail

    # An authority the trust roots do not vouch for stops the run; nothing is judged of the file.
    with pytest.raises(SigningUnavailable, match="the authority's certificate cannot be trusted now"):
        renewed_record(store, settings, "HS", record, 2, "due", replace(renewal, roots=below_root), RenewalReport())
    # An authority whose certificate ends within the notice: its timestamp would be due again at once.
    short = Settings.from_env({"SOHOA_HOME": home, "SOHOA_PDFA_VALIDATION": "on", "SOHOA_RENEW_BEFORE_DAYS": "1500"})
    report = RenewalReport()
    assert renewed_record(store, short, "HS", record, 2, "due", replace(renewal, tsa_url=pki.tsa_url), report) is None
    assert "the new timestamp would be due at once, as the certificate of its document timestamp" in \
        report.problems[0] and "would protect the file no longer than what it has" in report.problems[0]

    # Renewed anyway when it rests on a certificate that ends later than the one it renews: protection that
    # is due again is better than protection that lapses.
    stamped = store.put("dossiers/HS/stamped.pdf", done[1], "application/pdf")  # its timestamp's authority: 2050
    lapsing, report = store.put("dossiers/HS/lapsing.pdf", renewed_record(
        store, settings, "HS", record, 2, "due", replace(renewal, tsa_url=pki.tsa_url), RenewalReport())[1],
        "application/pdf"), RenewalReport()
    whole_life = replace(settings, renew_before_days=36_500)
    for stored, kept in ((lapsing, True), (stamped, False)):
        record = {"doc_id": "HS.x", "pdf": {"key": stored.key, "sha256": stored.sha256}}
        assert (renewed_record(store, whole_life, "HS", record, 3, "due", renewal, report) is not None) == kept
    assert report.problems[0].startswith("HS.x: renewed, but the new timestamp is due already"), report.problems
    assert "would protect the file no longer" in report.problems[1], report.problems


def test_a_renewal_whose_revocation_responders_do_not_answer_stops_and_judges_no_file(tmp_path):
    from sohoa.archive.timestamp_renewal import add_document_timestamp

    pki, stop = start_pki(tmp_path / "pki")
    try:
        signing = Settings.from_env({**pkcs12_signing(pki), "SOHOA_HOME": str(tmp_path / "home")})
        signed, = signed_now([grey_pdfa(tmp_path)], signing)  # with a document timestamp
    finally:
        stop()  # the authority's OCSP responder and CRLs are gone with it
    with pytest.raises(SigningUnavailable, match="the revocation status of the newest one's authority"):
        add_document_timestamp(signed, load_trust_roots(pki.trust_roots), pki.renewed_tsa_url, "sha256")


def test_the_renewal_of_timestamps_is_deployed_every_sunday():
    from sohoa.flows.timestamp_renewal import renewal_deployment

    schedule = renewal_deployment("05:00", "Asia/Ho_Chi_Minh").schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("0 5 * * 0", "Asia/Ho_Chi_Minh")


def test_signing_settings_are_checked_before_anything_runs(pki, tmp_path):
    base = {"SOHOA_HOME": str(tmp_path), "SOHOA_SIGNING": "on"}
    with pytest.raises(ConfigurationError, match="either SOHOA_SIGNING_PKCS12"):
        Settings.from_env(base)
    with pytest.raises(ConfigurationError, match="SOHOA_TRUST_ROOTS"):
        Settings.from_env({**base, "SOHOA_SIGNING_PKCS12": str(pki.pkcs12("signer"))})
    with pytest.raises(ConfigurationError, match="is not a folder"):
        Settings.from_env({"SOHOA_HOME": str(tmp_path), "SOHOA_TRUST_ROOTS": str(tmp_path / "nowhere")})
    pin = tmp_path / "pin"
    pin.write_text(PASSPHRASE + "\n")
    settings = Settings.from_env({**base, "SOHOA_SIGNING_PKCS12": str(pki.pkcs12("signer")),
                                  "SOHOA_SIGNING_PIN_FILE": str(pin), "SOHOA_TRUST_ROOTS": str(pki.trust_roots)})
    assert settings.signing.pin.reveal() == PASSPHRASE and PASSPHRASE not in repr(settings)


def signed_original(pki, page: Path, target: Path, label: str) -> Path:
    """A scanned page as a PDF signed by the certificate called label, as a dossier may arrive from outside:
    no check of the certificate when it was signed, no revocation data in the file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    plain = io.BytesIO()
    Image.open(page).convert("RGB").save(plain, "PDF", resolution=200)
    signer = signers.SimpleSigner.load_pkcs12_data(pki.pkcs12(label).read_bytes(), other_certs=[],
                                                   passphrase=PASSPHRASE.encode())
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=SigSeedSubFilter.PADES)
    signed = signers.PdfSigner(meta, signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(plain.getvalue()),
                                                                                strict=False))
    target.write_bytes(signed.getvalue())
    return target


def test_a_received_originals_timestamp_holds_as_of_its_time_and_the_agencys_newest_must_hold_now(pki, generated,
                                                                                                 tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps

    page = next(p for p in sorted((generated / "batch").rglob("*.jpg")))
    roots = load_trust_roots(pki.trust_roots)
    original = signed_original(pki, page, tmp_path / "original.pdf", "signer").read_bytes()
    writer = IncrementalPdfFileWriter(io.BytesIO(original), strict=False)
    stamped = signers.PdfTimeStamper(timestamps.HTTPTimeStamper(pki.tsa_url)).timestamp_pdf(
        writer, "sha256").getvalue()  # no validation data added; its authority's certificate ends in 2029
    after_its_end = dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc)
    kept_as_received = check_signatures(stamped, roots, renewed_here=False, now=after_its_end)
    assert [(f.kind, f.valid) for f in kept_as_received] == [("signature", True), ("document timestamp", True)]
    renewed_here = check_signatures(stamped, roots, now=after_its_end)  # a renewal here was missed: it lapsed
    assert [(f.kind, f.valid) for f in renewed_here] == [("signature", True), ("document timestamp", False)]
    assert "expired" in renewed_here[1].detail, renewed_here[1].detail


def test_verify_names_each_signature_that_fails_and_passes_the_agencys(pki, generated, tmp_path):
    page = next(p for p in sorted((generated / "batch").rglob("*.jpg")))
    batch = tmp_path / "batch"
    batch.mkdir()
    signed_original(pki, page, batch / "HS-REVOKED.pdf", "revoked")
    signed_original(pki, page, batch / "HS-EXPIRED.pdf", "expired")
    changed = bytearray(signed_original(pki, page, batch / "HS-CHANGED.pdf", "signer").read_bytes())
    binary_comment = changed.index(b"\n%", changed.index(b"%PDF-")) + 2
    changed[binary_comment] ^= 0x01  # inside the signed bytes, in a comment: the file still reads
    (batch / "HS-CHANGED.pdf").write_bytes(bytes(changed))
    signed_original(pki, page, batch / "HS-GOOD.pdf", "signer")
    home = tmp_path / "home"
    signing = pkcs12_signing(pki, tsa=False)
    done = run_sohoa(home, "ingest", str(batch), "--json", env=signing)
    assert json.loads(done.stdout)["archived"] == 4, done.stdout[-3000:] + done.stderr[-2000:]
    checked = run_sohoa(home, "verify", env={"SOHOA_TRUST_ROOTS": str(pki.trust_roots)})
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    problems = [line for line in checked.stderr.splitlines() if line.startswith("PROBLEM")]
    named = {code: [p for p in problems if f"dossier {code}:" in p] for code in
             ("HS-REVOKED", "HS-EXPIRED", "HS-CHANGED", "HS-GOOD")}
    assert any("signature not valid" in p and "revoked before it signed" in p for p in named["HS-REVOKED"]), problems
    assert any("signature not valid" in p and "expired" in p for p in named["HS-EXPIRED"]), problems
    assert any("signature not valid" in p and "changed after signing" in p for p in named["HS-CHANGED"]), problems
    assert not named["HS-GOOD"] and all("ChuKySoCoQuan" not in p for p in problems)  # the agency's all valid
    assert all("checksum" not in p for p in problems)  # stored exactly as received: only their signatures fail
    report = run_sohoa(home, "audit", "report", "--format", "csv", "--output", str(tmp_path / "audit.csv"))
    assert report.returncode == 0, report.stderr[-2000:]
    rows = {row["file_code"]: row for row in csv.DictReader(open(tmp_path / "audit.csv", encoding="utf-8"))
            if row["section"] == "signatures"}
    assert set(rows) == {"HS-REVOKED", "HS-EXPIRED", "HS-CHANGED", "HS-GOOD"}  # each signed by the agency
    assert rows["HS-GOOD"]["outcome"] == "success" and rows["HS-GOOD"]["count"] == "1"
    assert rows["HS-REVOKED"]["outcome"] == "failure" and "revoked" in rows["HS-REVOKED"]["detail"]
    unchecked = run_sohoa(home, "verify", env={"SOHOA_TRUST_ROOTS": ""})
    assert "signatures not checked" in unchecked.stderr
