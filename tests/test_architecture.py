"""The house has one direction: core <- ocr / classifiers / archive <- services (pipeline) <- flows <- cli,
and services <- the portal <- cli (which starts it).
Each layer is the folder of the same name, installed as sohoa.<folder>; these tests read every import
statement of every module (those inside functions too) and hold them to the table below."""
import ast
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, sohoa_env

# What each layer may import of the project. ocr, classifiers and archive know only the core and
# nothing of each other; the flows are thin wrappers over the services.
ALLOWED = {
    "core": set(),
    "ocr": {"core"},
    "classifiers": {"core"},
    "archive": {"core"},
    "synth": {"core", "classifiers"},
    "pipeline": {"core", "ocr", "classifiers", "archive"},
    "flows": {"core", "pipeline"},
    "portal": {"core", "archive", "pipeline"},
    "cli": {"core", "ocr", "classifiers", "archive", "synth", "pipeline", "flows", "portal"},
}
ORCHESTRATION = {"flows", "cli"}  # the only layers that know Prefect: services run without it
UNINSTALLED = {"bench", "servers", "tests"}  # development tools, outside the wheel
HEAVY = ("numpy", "cv2", "pikepdf")  # image and PDF libraries that reading the archive never needs


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            found.append((node.lineno, node.module))
    return found


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "sohoa" and len(parts) > 1 else None


def violations(allowed: dict[str, set[str]]) -> list[str]:
    wrong = []
    for layer, may_import in allowed.items():
        for path in sorted((ROOT / layer).rglob("*.py")):
            for line, module in imports(path):
                where = f"{path.relative_to(ROOT)}:{line} imports {module}"
                top = module.split(".")[0]
                if top in allowed or top in UNINSTALLED:
                    wrong.append(f"{where}: a bare top-level name; the package is sohoa.{top}")
                elif layer_of(module) and layer_of(module) != layer and layer_of(module) not in may_import:
                    wrong.append(f"{where}: {layer} may import only {sorted(may_import) or 'nothing of sohoa'}")
                elif layer == "core" and top != "sohoa" and top not in sys.stdlib_module_names:
                    wrong.append(f"{where}: the core uses the standard library only")
                elif top == "prefect" and layer not in ORCHESTRATION:
                    wrong.append(f"{where}: only {sorted(ORCHESTRATION)} know Prefect")
    return wrong


def test_every_import_runs_down_the_layers():
    assert violations(ALLOWED) == []


def test_the_check_sees_an_import_against_the_direction():
    stricter = {**ALLOWED, "archive": set()}  # archive does import the core: now a violation
    assert any(v.startswith("archive/") and "imports sohoa.core" in v for v in violations(stricter))


def test_every_layer_folder_is_a_package_of_the_distribution():
    pyproject = (ROOT / "pyproject.toml").read_text()
    for layer in ALLOWED:
        assert (ROOT / layer / "__init__.py").is_file()
        assert f'"sohoa.{layer}" = "{layer}"' in pyproject


def modules_loaded(home: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run a sohoa command; which of the heavy libraries it imported."""
    report = home / "loaded.json"
    probe = ("import atexit, json, runpy, sys\n"
             f"atexit.register(lambda: open({str(report)!r}, 'w').write(json.dumps("
             f"[m for m in {HEAVY!r} if m in sys.modules])))\n"
             f"sys.argv = ['sohoa', *{list(args)!r}]\n"
             "runpy.run_module('sohoa.cli', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=sohoa_env(home),
                          cwd=home, timeout=300)
    return done, json.loads(report.read_text())


@pytest.mark.slow
def test_reading_the_archive_loads_no_image_or_pdf_library(ingested, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(ingested[0], home, symlinks=True)
    for args in (["verify"], ["export", "--format", "jsonl"], ["audit", "events"], ["audit", "report"],
                 ["search", "ho so"], ["verify", "--help"]):
        done, loaded = modules_loaded(home, *args)
        assert done.returncode == 0, done.stderr[-2000:]
        assert loaded == [], f"sohoa {' '.join(args)} imported {loaded}"


def test_the_wheel_installs_one_namespace_without_the_test_servers_or_the_benchmark(tmp_path):
    source = tmp_path / "source"  # a copy: building in the checkout would leave build/ behind
    for name in (*ALLOWED, *UNINSTALLED):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=600)
    wheel, = tmp_path.glob("sohoa-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names if not name.startswith("sohoa-")} == {"sohoa"}
    assert {name.split("/")[1] for name in names if name.startswith("sohoa/")} == set(ALLOWED)
    assert "sohoa/archive/schemas/mets.xsd" in names
