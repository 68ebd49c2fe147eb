"""tools/real_accuracy.py: the matching rule on fixtures of our own, and one run on ../shared/real."""

from __future__ import annotations

import importlib.util
import json
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from jixiao.core.findings import Finding, Location, Severity

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "real"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_accuracy", ROOT / "tools" / "real_accuracy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["real_accuracy"] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


ra = _load()

# Written for this test: a made-up county's fund report.
TEXT = "\n".join(
    [
        "一、基本情况",
        "本年度下达资金合计３００万元，其中省级资金120.5万元，县级资金80万元。",
        "执行率为９５％。",
        "比上年增加40万元，其中追加15万元。",
        "二、绩效情况",
    ]
)


def finding(
    line: int | None,
    stated: str = "",
    excerpt: str = "",
    *,
    code: str = "B152",
    sev: str = "error",
    related: tuple[int, ...] = (),
) -> Finding:
    values = {"stated": stated} if stated else {}
    rel = tuple((f"分项{n}", Location("x.txt", n)) for n in related)
    return Finding(code, Severity(sev), "说明", Location("x.txt", line), excerpt, values, rel)


def label(
    quote: str, stated: str = "", *, kind: str = "sum", level: str = "substantive", index: int = 0
) -> object:
    lab = ra.Label(
        "x", index, kind, level, quote, stated=stated, why="我们自己写的理由" if level == "trap" else ""
    )
    lab.lines = sorted(ra.quote_lines(TEXT, quote))
    return lab


def test_figures_are_folded_and_the_first_number_counts() -> None:
    assert ra.first_figure("９５％") == Decimal("95")
    assert ra.first_figure("1,234.50万元") == Decimal("1234.50")
    assert ra.first_figure("9 (1 point off)") == Decimal("9")
    assert ra.first_figure("以文字描述") is None
    assert ra.finding_figures({"found": "4"}, "下达【３００万元】") == {Decimal("4"), Decimal("300")}


def test_quote_lines_cover_every_occurrence_and_span() -> None:
    assert ra.quote_lines(TEXT, "万元，其中") == {2, 4}
    assert ra.quote_lines(TEXT, "80万元。\n执行率") == {2, 3}
    assert ra.quote_lines(TEXT, "不在文中") == set()


def test_excerpt_overlap_ignores_marks_and_spacing() -> None:
    assert ra.excerpt_overlaps("执行率为【９５％】。", "执行率为95%")
    assert ra.excerpt_overlaps(
        "其中省级资金120.5万元，县级资金80万元…", "下达资金合计300万元，其中省级资金120.5万元"
    )
    assert not ra.excerpt_overlaps("执行率为【９５％】。", "比上年增加40万元")
    assert not ra.excerpt_overlaps("", "比上年增加40万元")


def test_place_and_figure_make_true_and_later_hits_duplicates() -> None:
    err = label("下达资金合计３００万元", "300")
    trap = label("比上年增加40万元，其中追加15万元", kind="sum", level="trap")
    found = [
        finding(2, "300"),  # same line, same figure: true
        finding(
            None, "300.00", "下达资金合计【300万元】，其中省级资金", sev="warning"
        ),  # excerpt overlap: duplicate
        finding(2, "120.5"),  # same line, another figure: false
        finding(4, "40", "比上年增加【40万元】"),  # at the trap
        finding(9, "300", related=(2,)),  # related location names the line: also the error → duplicate
        finding(3, "95", code="X999", sev="info"),
    ]
    judged = ra.judge("x", found, [err], [trap], offset=10)
    assert [j.verdict for j in judged] == ["true", "duplicate", "false", "false", "duplicate", "info"]
    assert err.found_by == [10]
    assert judged[3].trap_kind == "sum" and judged[3].trap_why == "我们自己写的理由"
    assert judged[2].trap_kind == ""


def test_error_level_is_assigned_before_warning() -> None:
    err = label("执行率为９５％", "95%", kind="rate")
    judged = ra.judge("x", [finding(3, "95", sev="warning"), finding(3, "95", sev="error")], [err], [], 0)
    assert [(j.severity, j.verdict) for j in judged] == [("warning", "duplicate"), ("error", "true")]


def test_a_label_without_a_figure_matches_by_place_alone() -> None:
    err = label("二、绩效情况", "标题重复", kind="numbering", level="minor")
    judged = ra.judge(
        "x", [finding(5, code="T302", sev="warning"), finding(1, code="T302", sev="warning")], [err], [], 0
    )
    assert [j.verdict for j in judged] == ["true", "false"]


def _write_set(folder: Path) -> None:
    (folder / "r001.txt").write_text(TEXT + "\n", encoding="utf-8")
    meta = {
        "id": "r001",
        "truncated": False,
        "errors": [
            {"kind": "sum", "level": "substantive", "quote": "下达资金合计３００万元", "stated": "300"}
        ],
        "traps": [],
    }
    (folder / "r001.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    (folder / "r002.txt").write_text("项目资金50万元已全部拨付。\n", encoding="utf-8")
    (folder / "r002.json").write_text(
        json.dumps({"id": "r002", "truncated": True, "errors": [], "traps": []}), encoding="utf-8"
    )


def _assert_consistent(result: object) -> None:
    s = result.summary()
    verdicts = {"true", "false", "duplicate", "info"}
    assert all(f.verdict in verdicts for f in result.findings)
    judged = sum(s[f"{lv}_judged"] + s[f"{lv}_duplicate"] for lv in ra.LEVELS) + s["info"]
    assert judged == len(result.findings)
    assert s["substantive"] + s["minor"] == len(result.errors)
    true = sum(1 for f in result.findings if f.verdict == "true")
    assert true == sum(len(e.found_by) for e in result.errors)
    assert s["substantive_found"] <= s["substantive"] and s["minor_found"] <= s["minor"]


def test_run_on_a_folder_of_our_own(tmp_path: Path) -> None:
    _write_set(tmp_path)
    result = ra.run_real(tmp_path)
    assert result.reports == ["r001", "r002"] and result.clean == ["r002"] and result.truncated == ["r002"]
    _assert_consistent(result)
    text = ra.render_real(result)
    assert "| error-level precision |" in text and "| sum |" in text
    # a run compared with itself changes nothing
    again = ra.render_real(
        ra.run_real(tmp_path), previous=json.loads(json.dumps(result.to_json(), default=str))
    )
    assert "- new false findings: 0" in again and "- labelled errors no longer found: 0" in again


def test_write_puts_real_first_and_keeps_the_harness(tmp_path: Path) -> None:
    (tmp_path / "set").mkdir()
    _write_set(tmp_path / "set")
    doc = tmp_path / "accuracy.md"
    harness = "<!-- harness:begin (x) -->\n| a | b |\n<!-- harness:end -->\n"
    doc.write_text("# Review accuracy\n\nIntro.\n\n" + harness, encoding="utf-8")
    assert ra.main([str(tmp_path / "set"), "--write", str(doc)]) == 0
    first = doc.read_text(encoding="utf-8")
    assert first.index(ra.BEGIN) < first.index("Intro.") < first.index(harness)
    assert "下达资金" not in first  # no report text in the project's file
    assert ra.main([str(tmp_path / "set"), "--write", str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == first


def test_missing_folder_is_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ra.main([str(tmp_path / "nowhere")]) == 2
    assert "找不到" in capsys.readouterr().err


@pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/real (the labelled development set) is not beside this clone"
)
def test_the_labelled_real_reports(tmp_path: Path) -> None:
    result = ra.run_real(REAL)
    txt = sorted(p.stem for p in REAL.glob("r*.txt"))
    assert result.reports == [r for r in txt if r not in result.unreadable]
    assert result.reports, "no labelled report was read"
    _assert_consistent(result)
    assert set(result.clean) <= set(result.reports)
    saved = tmp_path / "run.json"
    assert ra.main([str(REAL), "--save", str(saved)]) == 0
    assert json.loads(saved.read_text(encoding="utf-8"))["summary"] == result.summary()
