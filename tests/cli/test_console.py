"""The console script (`jixiao`) exits as `main` would: same status, every line printed, exit handlers run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "review" / "hunan_dept_clean.txt"
# The console entry in a fresh interpreter, with an exit handler that must still run (it writes a mark).
_PROBE = """
import atexit, sys
atexit.register(lambda: print("exit handler ran", file=sys.stderr))
sys.argv = ["jixiao", *sys.argv[1:]]
from jixiao.cli import console
console()
"""


def _console(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (FIXTURE.read_text(encoding="utf-8"), 0),
        ("本年度预算执行率为80%。全年预算数100万元，全年执行数50万元，预算执行率80%。\n", 1),
    ],
)
def test_check_status_and_output(tmp_path, text, status):
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    done = _console("check", str(report), cwd=tmp_path)
    assert done.returncode == status, done.stderr
    assert str(report) in done.stdout  # the summary line (clean) or the findings, flushed before the exit
    assert "exit handler ran" in done.stderr


def test_usage_error_status(tmp_path):
    done = _console("no-such-command", cwd=tmp_path)
    assert done.returncode == 2
    assert "exit handler ran" in done.stderr
