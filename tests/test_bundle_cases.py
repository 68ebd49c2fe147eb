"""The ``bundle:`` cases of tests/rules/<CODE>.yaml: the files of one submission written to one folder and
checked together (``jixiao check FOLDER``); each expected finding is matched in the file it names.

(Cases with ``text:`` are run by tests/rules/test_cases.py; this runs only the multi-file ones.)
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from jixiao.cli import main

ROOT = Path(__file__).resolve().parents[1]
CASES = [
    pytest.param(path.stem, case, id=f"{path.stem}-{case['name']}")
    for path in sorted((ROOT / "tests" / "rules").glob("*.yaml"))
    for case in (YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}).get("cases", [])
    if "bundle" in case
]


def _matches(finding: dict[str, Any], want: dict[str, Any]) -> bool:
    for key, value in want.items():
        if key == "file":
            if Path(finding["path"]).name != value:
                return False
        elif key == "message":
            if str(value) not in finding["message"]:
                return False
        elif finding.get(key) != value:
            return False
    return True


@pytest.mark.parametrize(("code", "case"), CASES)
def test_bundle_case(code: str, case: dict[str, Any], tmp_path: Path) -> None:
    for member in case["bundle"]:
        target = tmp_path / member["name"]
        if "file" in member:
            shutil.copyfile(ROOT / member["file"], target)
        else:
            target.write_text(member["text"], encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json", "--jobs", "1"])
    found = [f for e in json.loads(result.stdout)["files"] for f in e["findings"] if f["code"] == code]
    wanted = case["expect"] or []
    unmatched = list(found)
    for want in wanted:
        hit = next((f for f in unmatched if _matches(f, want)), None)
        assert hit is not None, (want, found)
        unmatched.remove(hit)
    assert unmatched == [], unmatched
