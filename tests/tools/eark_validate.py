"""Validate E-ARK information packages with eark-validator, offline; print one JSON report per package.

Run with the interpreter of the separate environment that holds eark-validator (it pins an lxml
older than sohoa's): python eark_validate.py SCHEMA_DIR PACKAGE...
eark-validator fetches CSIP vocabularies over HTTP when it is imported; those requests are answered
from SCHEMA_DIR (the vocabulary files by name) before it is imported. SCHEMA_DIR "-" means the copies
of the same vocabularies that ship inside eark-validator.
"""
import io
import json
import sys
import urllib.request
from pathlib import Path


def serve_offline(schema_dir: Path) -> None:
    def urlopen(url, *args, **kwargs):
        name = str(getattr(url, "full_url", url)).rsplit("/", 1)[-1]
        return io.BytesIO((schema_dir / name).read_bytes())

    urllib.request.urlopen = urlopen


def report(path: Path) -> dict:
    from eark_validator.packages import PackageValidator
    from eark_validator.specifications.specification import SpecificationVersion

    try:
        result = PackageValidator(path, SpecificationVersion.V2_1_0).validation_report
    except Exception as exc:  # the validator itself fails on some broken packages: that is a verdict too
        return {"package": str(path), "messages": [
            {"severity": "Error", "rule_id": "VALIDATOR", "message": f"{type(exc).__name__}: {exc}", "location": ""}]}
    messages = list(result.structure.messages)
    if result.metadata:
        for results in (result.metadata.schema_results, result.metadata.schematron_results):
            messages += list(results.messages)
    return {"package": str(path), "type": result.package.details.oaispackagetype if result.package else None,
            "messages": [{"severity": m.severity.value, "rule_id": m.rule_id, "message": m.message,
                          "location": str(getattr(m, "location", "") or "")} for m in messages]}


def bundled_vocabularies() -> Path:
    import importlib.util

    package = Path(importlib.util.find_spec("eark_validator").origin).parent
    return package / "ipxml" / "resources" / "vocabs"


if __name__ == "__main__":
    serve_offline(bundled_vocabularies() if sys.argv[1] == "-" else Path(sys.argv[1]))
    for package in sys.argv[2:]:
        print(json.dumps(report(Path(package)), ensure_ascii=False))
