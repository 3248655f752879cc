"""The README's first command ends in `sohoa demo`: a sample batch archived and a search that finds it."""
import re

import pytest

from tests.conftest import run_sohoa

pytestmark = pytest.mark.slow


def test_demo_archives_the_sample_and_its_search_finds_documents(home):
    run = run_sohoa(home, "demo", embedded_prefect=True)  # as on a fresh machine, no server
    assert run.returncode == 0, run.stderr[-3000:]
    query = re.search(r'sohoa search "([^"]+)" \(no accents needed\)', run.stderr)
    assert query and query.group(1) == query.group(1).encode("ascii", "ignore").decode()  # typed unaccented
    hits = re.findall(r"^\s+H49\.64\.33\.\d{4}\.\d{3}\.\d+\s", run.stderr, re.M)
    assert hits, run.stderr[-2000:]
    assert (home / "demo" / "truth.json").exists()
