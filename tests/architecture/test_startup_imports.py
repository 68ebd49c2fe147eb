"""`jixiao check` on a .txt report imports only what reading and checking text needs (start-up, issue 9).

Run in a fresh interpreter, as the command runs: the CLI module, then the check of one text report.
What the text path must not import: pydantic (a framework is read into plain objects), the readers
and writers of other formats, the workspace, and modules a report written to the terminal does not
need. Speed itself is measured by bench/bench_startup.py, never by a test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "review" / "hunan_dept_clean.txt"

# Top-level packages (or modules) a .txt check must leave alone.
NOT_FOR_TEXT = (
    "pydantic",
    "pydantic_core",
    "annotated_types",
    "docx",
    "openpyxl",
    "xlrd",
    "pypdfium2",
    "lxml",
    "selectolax",
    "sqlalchemy",
    "fastapi",
    "jinja2",
    "tempfile",
    "tomllib",
    "zipfile",
    "importlib.resources",
    "importlib.metadata",
)
# jixiao modules of other formats and paths.
JIXIAO_NOT_FOR_TEXT = (
    "jixiao.author",
    "jixiao.report",
    "jixiao.convert",
    "jixiao.store",
    "jixiao.web.app",
    "jixiao.review.read.docx",
    "jixiao.review.read.pdf",
    "jixiao.review.read.html",
    "jixiao.review.read.xlsx",
    "jixiao.review.read.xls",
    "jixiao.review.render",
)

_PROBE = """
import json, sys
sys.argv = ["jixiao", "check", sys.argv[1]]
from jixiao.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


@pytest.fixture(scope="module")
def text_check(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    # From an empty folder: no project file (jixiao.toml, pyproject.toml) of the working folder is read.
    folder = tmp_path_factory.mktemp("check")
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(FIXTURE)], capture_output=True, text=True, cwd=folder, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def _loaded(modules: list[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_the_text_check_ran(text_check):
    assert text_check["code"] == 0  # the clean fixture: no error-level finding
    assert "jixiao.review.pipeline" in text_check["modules"]


@pytest.mark.parametrize("name", NOT_FOR_TEXT + JIXIAO_NOT_FOR_TEXT)
def test_text_check_does_not_import(text_check, name):
    modules = text_check["modules"]
    assert isinstance(modules, list)
    assert not _loaded(modules, name), f"`jixiao check report.txt` imported {name}"


@pytest.fixture(scope="module")
def docx_check(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    import docx

    folder = tmp_path_factory.mktemp("check-docx")
    document = docx.Document()
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(str(folder / "report.docx"))
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "report.docx"], capture_output=True, text=True, cwd=folder, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_docx_is_read_without_python_docx(docx_check):
    # The reader parses the package's parts it needs itself (review/read/ooxml.py): python-docx opens
    # and parses every part, a quarter of the time of checking a report.
    modules = docx_check["modules"]
    assert isinstance(modules, list)
    assert docx_check["code"] == 0
    assert "jixiao.review.read.docx" in modules
    assert not _loaded(modules, "docx")
