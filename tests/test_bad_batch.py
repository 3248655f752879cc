"""A batch mixing good and bad dossiers: the bad are quarantined with a reason, the rest archived,
what was archived before is untouched, and the run ends with exit status 1."""
import hashlib
import json

import pytest

from tests.conftest import copy_batch, export_records, run_sohoa
from tests.test_intake import make_bad

pytestmark = pytest.mark.slow


def digests(root):
    return {p.relative_to(root): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def test_bad_dossiers_are_quarantined_and_the_rest_goes_on(generated, truth, home, tmp_path):
    first, second = truth["dossiers"][0]["source"], truth["dossiers"][1]["source"]
    earlier = run_sohoa(home, "ingest", str(copy_batch(generated, tmp_path / "earlier", [first])))
    assert earlier.returncode == 0, earlier.stderr[-2000:]
    archived_before = digests(home / "objects")

    batch = copy_batch(generated, tmp_path / "mixed", [second])
    bad = {}
    for kind in ("truncated-jpeg", "not-an-image", "pixel-bomb", "encrypted-pdf", "truncated-pdf", "empty-pdf"):
        workshop = tmp_path / "made" / kind
        workshop.mkdir(parents=True)
        made = make_bad(workshop, kind)
        target = batch / made[0].name
        made[0].rename(target)
        bad[target.name] = (made[1], made[2] if len(made) > 2 else made[0].name)

    run = run_sohoa(home, "ingest", str(batch))
    assert run.returncode == 1, run.stderr[-3000:]
    quarantine = home / "quarantine" / "mixed"
    for name, (reason, bad_file) in bad.items():
        assert (quarantine / name).exists(), name
        assert not (batch / name).exists()
        reason_text = (quarantine / f"{name}.reason.txt").read_text(encoding="utf-8")
        assert f"file: {bad_file}" in reason_text and reason in reason_text.lower()
        # one line on the console names the dossier, the file and the cause
        assert any(name.rsplit(".", 1)[0] in line and bad_file in line and "QUARANTINED" in line
                   for line in run.stderr.splitlines()), run.stderr
    events = [json.loads(line) for line in run_sohoa(home, "audit", "events", "--type", "quarantine",
                                                      "--json").stdout.splitlines()]
    bad_files = {name.rsplit(".", 1)[0]: bad_file for name, (_, bad_file) in bad.items()}
    assert sorted(e["file_code"] for e in events) == sorted(bad_files)  # one quarantine event each
    assert all(bad_files[e["file_code"]] in e["detail"] for e in events)
    codes = {r["file_code"] for r in export_records(home)}
    assert codes == {truth["dossiers"][0]["file_code"], truth["dossiers"][1]["file_code"]}
    after = digests(home / "objects")
    assert all(after[key] == value for key, value in archived_before.items())
