"""The E-ARK check the package tests share: eark-validator, run offline in its own environment."""
import json
import subprocess
from pathlib import Path

from tests.conftest import ROOT, SHARED

VALIDATOR_PYTHON = ROOT / ".cache" / "eark-validator" / "bin" / "python"
VOCABULARIES = SHARED / "corpora" / "eark-csip" / "schema"
# eark-validator 1.1.3's SIP rules demand a plain NOTETYPE="IDENTIFICATIONCODE" on every note of every
# CREATOR agent. The CSIP rules it applies too require the software CREATOR agent's one note to carry
# csip:NOTETYPE="SOFTWARE VERSION", and mets.xsd forbids an unqualified NOTETYPE: no SIP valid against
# mets.xsd can satisfy both. That one rule, on that one agent, is set aside for SIPs; nothing else is.
VALIDATOR_CONTRADICTION = "SIP14"


def validate(*packages: Path) -> list[dict]:
    """One eark-validator report per package (folder or zip): {"package", "type", "messages"}."""
    assert VALIDATOR_PYTHON.exists(), "eark-validator missing: ./bootstrap.sh test-setup installs it"
    vocabularies = str(VOCABULARIES) if VOCABULARIES.is_dir() else "-"
    done = subprocess.run([str(VALIDATOR_PYTHON), str(ROOT / "tests" / "tools" / "eark_validate.py"), vocabularies,
                           *map(str, packages)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def errors(report: dict, package_type: str) -> list[str]:
    """Messages of severity Error, as "RULE: message"; SIP-profile rules do not bind an AIP."""
    found = []
    for m in report["messages"]:
        if m["severity"] != "Error":
            continue
        if package_type == "AIP" and m["rule_id"].startswith("SIP"):
            continue
        if package_type == "SIP" and m["rule_id"] == VALIDATOR_CONTRADICTION:
            continue
        found.append(f"{m['rule_id']}: {m['message']} {m['location']}")
    return found
