"""The command line as a user meets it: exit codes, messages, no tracebacks, no clobbering."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.model.frameworks import builtin_names
from jixiao.rulesets import every_rule as all_rules

ROOT = Path(__file__).resolve().parents[2]
SEED_EXAMPLE = ROOT / "examples" / "yanfeng-media-2024.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_frameworks_lists_builtins():
    code, out = run("frameworks")
    assert code == 0
    for name in builtin_names():
        assert name in out


def test_frameworks_show_unknown_is_exit_2():
    code, out = run("frameworks", "--show", "no-such-framework")
    assert code == 2
    assert "I605" in out


def test_rules_and_explain_every_rule():
    code, out = run("rules")
    assert code == 0
    for r in all_rules():
        if r.retired:
            continue
        assert r.code in out
        code, text = run("explain", r.code)
        assert code == 0
        assert "## 作用" in text and r.slug in text


def test_explain_accepts_slug_and_rejects_unknown():
    code, out = run("explain", "unknown-key")
    assert code == 0 and out.startswith("I602")
    code, _ = run("explain", "Z999")
    assert code == 2


def test_validate_seed_example_reports_errors_with_yaml_lines():
    code, out = run("validate", str(SEED_EXAMPLE))
    assert code == 1
    # Every finding line starts with file:line.
    lines = [line for line in out.splitlines() if " [错误] " in line]
    assert lines
    for line in lines:
        path, lineno, *_ = line.split(":")
        assert path == str(SEED_EXAMPLE)
        assert lineno.isdigit()


def test_validate_json_is_machine_readable():
    import json

    code, out = run("validate", str(SEED_EXAMPLE), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert all({"code", "severity", "message", "path", "line"} <= set(f) for f in data)


def test_malformed_yaml_is_exit_2_with_location(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("unit:\n  name: 某局\n  year: 2024\n budget: [\n", encoding="utf-8")
    code, out = run("validate", str(bad))
    assert code == 2
    assert "I601" in out and f"{bad}:" in out
    assert "Traceback" not in out


def test_missing_file_is_exit_2(tmp_path):
    code, out = run("validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "Traceback" not in out


def test_score_prints_total_and_grade():
    from jixiao.author.pipeline import evaluate
    from jixiao.core.decimals import fmt

    result = evaluate(SEED_EXAMPLE)
    assert result.scored is not None
    code, out = run("score", str(SEED_EXAMPLE))
    assert f"总分：{fmt(result.scored.total)}" in out
    assert f"等级：{result.scored.grade}" in out
    assert code == 1  # the seed example has error-level findings


def test_init_refuses_to_overwrite(tmp_path):
    target = tmp_path / "unit.yaml"
    target.write_text("mine", encoding="utf-8")
    code, out = run("init", str(target))
    assert code == 2
    assert "已存在" in out
    assert target.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("framework", ["mof-2020", "mof-2013-dept"])
def test_init_writes_a_clean_example(tmp_path, framework):
    target = tmp_path / "unit.yaml"
    code, _ = run("init", str(target), "--framework", framework)
    assert code == 0
    code, out = run("validate", str(target))
    assert code == 0, out


def test_report_unknown_format_is_exit_2(tmp_path):
    code, out = run("report", str(SEED_EXAMPLE), "-o", str(tmp_path), "--format", "docx,pdfx")
    assert code == 2
    assert "pdfx" in out


def test_rules_reference_page_is_up_to_date():
    """docs/rules.md is generated from the catalog; regenerate with `jixiao rules --format markdown > docs/rules.md`."""
    from jixiao.rules_page import rules_markdown

    page = ROOT / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown()


def test_extract_unreadable_report_is_exit_2_but_writes_a_skeleton(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    target = tmp_path / "out.yaml"
    code, out = run("extract", str(empty), "-o", str(target))
    assert code == 2
    assert "报告无法读取" in out
    assert target.exists()
