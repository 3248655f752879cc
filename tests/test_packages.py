"""Each archived dossier is an E-ARK CSIP AIP (TT05 profile) that eark-validator accepts; the SIP and
BagIt exports are accepted by their outside checkers too."""
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from sohoa.archive.ead import EAD
from sohoa.archive.mets import CSIP, METS
from sohoa.archive.premis import PREMIS

from tests.conftest import SHARED, export_records, run_sohoa
from tests.eark import errors, validate

pytestmark = pytest.mark.slow
NS = {"mets": METS, "csip": CSIP, "ead": EAD, "premis": PREMIS, "xlink": "http://www.w3.org/1999/xlink"}


@pytest.fixture(scope="module")
def archive(ingested, tmp_path_factory) -> tuple[Path, list[dict]]:
    """A copy of the ingested archive (exports add events to its audit log) and its records."""
    home, _ = ingested
    copy = tmp_path_factory.mktemp("packages") / "home"
    shutil.copytree(home, copy, ignore=shutil.ignore_patterns("prefect"))
    return copy, export_records(copy)


def export(home: Path, kind: str, file_code: str, dest: Path) -> list[Path]:
    done = run_sohoa(home, kind, "export", file_code, str(dest))
    assert done.returncode == 0, done.stderr[-2000:]
    return [Path(line) for line in done.stdout.splitlines()]


def test_every_archived_dossier_is_a_valid_aip_with_checksums_on_every_reference(archive, tmp_path):
    home, records = archive
    file_codes = sorted({r["file_code"] for r in records})
    folders = [export(home, "aip", fc, tmp_path)[0] for fc in file_codes]
    for report in validate(*folders):
        assert report["type"] == "AIP"
        assert errors(report, "AIP") == [], report["package"]
    for folder in folders:
        docs = [r for r in records if r["file_code"] == folder.name]
        for path in ["METS.xml", "metadata/descriptive/EAD.xml", "metadata/preservation/PREMIS.xml",
                     "representations/rep1/METS.xml", "documentation/documents.csv",
                     *(f"representations/rep1/metadata/descriptive/EAD_doc_{r['doc_ordinal']}.xml" for r in docs),
                     *(f"representations/rep1/data/{r['doc_id']}.pdf" for r in docs)]:
            assert (folder / path).is_file(), path
        root = etree.parse(str(folder / "METS.xml")).getroot()
        assert root.find("mets:metsHdr", NS).get(f"{{{CSIP}}}OAISPACKAGETYPE") == "AIP"
        for mets_path in ("METS.xml", "representations/rep1/METS.xml"):
            mets = etree.parse(str(folder / mets_path)).getroot()
            references = mets.findall(".//mets:file", NS) + mets.findall(".//mets:mdRef", NS)
            assert references
            for ref in references:
                assert ref.get("CHECKSUMTYPE") == "SHA-256" and len(ref.get("CHECKSUM")) == 64
                assert int(ref.get("SIZE")) > 0 and ref.get("MIMETYPE")
                assert ref.get("CREATED").endswith("+07:00")


def test_descriptions_and_preservation_metadata_hold_the_records(archive, tmp_path):
    home, records = archive
    record = next(r for r in records if r["code_number"] and r["issued_date"])
    folder = export(home, "aip", record["file_code"], tmp_path)[0]
    ead = etree.parse(str(folder / f"representations/rep1/metadata/descriptive/EAD_doc_{record['doc_ordinal']}.xml"))
    assert ead.findtext(".//ead:unitid[@type='doc_id']", namespaces=NS) == record["doc_id"]
    assert ead.findtext(".//ead:unitid[@type='code_number_notation']", namespaces=NS) == \
        f"{record['code_number']}/{record['code_notation']}"
    assert ead.find(".//ead:unitdate", NS).get("normal") == record["issued_date"]
    assert ead.findtext(".//ead:unittitle", namespaces=NS) == (record["subject"] or record["type_name"])
    dossier = etree.parse(str(folder / "metadata/descriptive/EAD.xml"))
    assert dossier.findtext(".//ead:unitid[@type='file_code']", namespaces=NS) == record["file_code"]
    assert dossier.find(".//ead:appraisal", NS).get("type") == "retention:01"

    premis = etree.parse(str(folder / "metadata/preservation/PREMIS.xml"))
    digests = {o.findtext(".//premis:objectIdentifierValue", namespaces=NS):
               o.findtext(".//premis:messageDigest", namespaces=NS) for o in premis.findall("premis:object", NS)}
    assert digests[f"representations/rep1/data/{record['doc_id']}.pdf"] == record["pdf"]["sha256"]
    types = [e.findtext("premis:eventType", namespaces=NS) for e in premis.findall("premis:event", NS)]
    docs = sum(1 for r in records if r["file_code"] == record["file_code"])
    assert types == ["ingestion", "message digest calculation", *["validation"] * docs,
                     "information package creation"]
    validations = [e for e in premis.findall("premis:event", NS) if e.findtext("premis:eventType", namespaces=NS)
                   == "validation"]
    assert all(e.findtext(".//premis:eventOutcome", namespaces=NS) == "success" for e in validations)
    assert record["pdfa"]["valid"] is True and record["pdfa"]["validator"].startswith("veraPDF")


def test_sip_export_is_a_valid_sip_as_folder_and_zip(archive, tmp_path):
    home, records = archive
    file_code = records[0]["file_code"]
    folder, zipped = export(home, "sip", file_code, tmp_path)
    assert (folder, zipped) == (tmp_path / file_code, tmp_path / f"{file_code}.zip")
    mets = etree.parse(str(folder / "METS.xml")).getroot()
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    assert mets.find("mets:metsHdr", NS).get(f"{{{CSIP}}}OAISPACKAGETYPE") == "SIP"
    assert len(mets.findall("mets:metsHdr/mets:agent[@ROLE='CREATOR']", NS)) == 1  # see tests/eark.py
    with zipfile.ZipFile(zipped) as z:
        assert sorted(z.namelist()) == sorted(f"{file_code}/{p.relative_to(folder).as_posix()}"
                                              for p in folder.rglob("*") if p.is_file())
    for report in validate(folder, zipped):
        assert report["type"] == "SIP"
        assert errors(report, "SIP") == [], report["package"]


@pytest.mark.skipif(not (SHARED / "corpora" / "eark-csip" / "examples").is_dir(), reason="../shared is absent")
@pytest.mark.parametrize("example, rule", [("minimal_IP_invmets.zip", "XML-1"), ("minimal_IP_nocrtdt.zip", "CSIP7"),
                                           ("minimal_IP_nomtshdr.zip", "VALIDATOR"),
                                           ("minimal_IP_nopcktyp.zip", "CSIP9")])
def test_the_same_check_reports_the_invalid_example_packages_invalid(example, rule):
    report, = validate(SHARED / "corpora" / "eark-csip" / "examples" / example)
    found = errors(report, "SIP")
    assert any(e.startswith(f"{rule}:") for e in found), found


def test_bag_export_passes_bagit_validation(archive, tmp_path):
    home, records = archive
    file_code = records[-1]["file_code"]
    bag, = export(home, "bag", file_code, tmp_path)
    checker = Path(sys.executable).with_name("bagit.py")
    done = subprocess.run([str(checker), "--validate", str(bag)], capture_output=True, text=True)
    assert done.returncode == 0 and "is valid" in done.stderr, done.stderr[-2000:]
    assert (bag / "manifest-sha256.txt").is_file() and (bag / "data" / "METS.xml").is_file()
    pdf = bag / "data" / "representations" / "rep1" / "data" / f"{records[-1]['doc_id']}.pdf"
    pdf.write_bytes(pdf.read_bytes()[:-1] + b"\x00")
    broken = subprocess.run([str(checker), "--validate", str(bag)], capture_output=True, text=True)
    assert broken.returncode != 0


def test_exports_are_logged_as_access_events_and_refuse_to_overwrite(archive, tmp_path):
    home, records = archive
    file_code = records[0]["file_code"]
    export(home, "aip", file_code, tmp_path)
    again = run_sohoa(home, "aip", "export", file_code, str(tmp_path))
    assert again.returncode == 1 and "already exists" in again.stderr
    events = run_sohoa(home, "audit", "events", "--dossier", file_code, "--type", "access", "--json")
    details = [json.loads(line)["detail"] for line in events.stdout.splitlines()]
    assert any(d.startswith("AIP exported to") and str(tmp_path) in d for d in details)
