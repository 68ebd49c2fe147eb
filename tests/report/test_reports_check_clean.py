"""Issue 10 item 3: a report jixiao generates from clean data checks clean with jixiao's own review.

``check(report(m))`` has no error-level finding for random valid evaluations, in .docx, .md and .html
(and .pdf where LibreOffice is installed); a report from data with errors agrees with itself across
formats (the same total 分值 in the .xlsx as in the text) and says what does not add up.
"""

from __future__ import annotations

import random
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from tools.jixiao_dev.synth import random_evaluation

from jixiao.author.context import ModelContext
from jixiao.author.loaded import Loaded
from jixiao.author.pipeline import evaluate
from jixiao.core.findings import Severity
from jixiao.core.rules.registry import run_checks
from jixiao.model.evaluation import Evaluation
from jixiao.model.frameworks import load_framework
from jixiao.model.scoring import Scored, score
from jixiao.report.emit import write_outputs
from jixiao.review.pipeline import check_file
from tests.strategies import evaluations

ROOT = Path(__file__).resolve().parents[2]
SEED_EXAMPLE = ROOT / "examples" / "yanfeng-media-2024.yaml"
FORMATS = ("docx", "md", "html")


def _scored(ev: Evaluation) -> tuple[Scored, list[str]]:
    fw = load_framework(ev.framework)
    scored = score(ev, fw)
    findings = run_checks("model", ModelContext(Loaded("<ev>", ev), scored, fw))
    return scored, [f.render() for f in findings if f.severity is Severity.ERROR]


def _errors_in_reports(ev: Evaluation, out: Path, formats: tuple[str, ...] = FORMATS) -> dict[str, list[str]]:
    scored, data_errors = _scored(ev)
    assert data_errors == [], data_errors  # the generators promise clean data
    if out.exists():
        shutil.rmtree(out)
    written, notes = write_outputs(scored, [], out, [f for f in formats if f != "pdf"], pdf="pdf" in formats)
    assert not notes, notes
    errors: dict[str, list[str]] = {}
    for path in written:
        if path.suffix.lstrip(".") not in formats:
            continue
        report = check_file(path, ev.framework)
        found = [f.render() for f in report.findings if f.severity is Severity.ERROR]
        if found:
            errors[path.suffix] = found
    return errors


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(evaluations())
def test_report_from_clean_strategy_data_checks_clean(tmp_path: Path, ev: Evaluation) -> None:
    assert _errors_in_reports(ev, tmp_path / "out") == {}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32 - 1))
def test_report_from_synthetic_unit_checks_clean(tmp_path: Path, seed: int) -> None:
    ev = random_evaluation(random.Random(seed), index=seed % 1000, evidence_sentences=seed % 3)
    assert _errors_in_reports(ev, tmp_path / "out") == {}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装：跳过 PDF")
def test_pdf_of_clean_report_checks_clean(tmp_path: Path) -> None:
    ev = random_evaluation(random.Random(7), index=7)
    assert _errors_in_reports(ev, tmp_path / "out", ("docx", "pdf")) == {}


def test_county_example_reports_check_clean(tmp_path: Path) -> None:
    result = evaluate(ROOT / "examples" / "county-education-2024.yaml")
    assert result.scored is not None
    assert _errors_in_reports(result.scored.evaluation, tmp_path / "out") == {}


# ---------------------------------------------------------------- data with errors: agree and mark


@pytest.fixture(scope="module")
def seed_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    result = evaluate(SEED_EXAMPLE)
    assert result.scored is not None
    out = tmp_path_factory.mktemp("seed")
    written, _ = write_outputs(result.scored, result.findings, out, ("docx", "xlsx", "md", "html", "json"))
    return {p.suffix.lstrip("."): p for p in written}


def test_xlsx_total_weight_agrees_with_the_text(seed_outputs: dict[str, Path]) -> None:
    ws = load_workbook(seed_outputs["xlsx"], data_only=True).worksheets[0]
    total = next(r for r in ws.iter_rows() if r[0].value == "总分")
    md = seed_outputs["md"].read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.startswith("| 总分"))
    weight_in_md = line.split("|")[6].strip()
    assert str(total[5].value).removesuffix(".0") == weight_in_md == "100"


def test_xlsx_money_total_is_the_one_the_text_prints(seed_outputs: dict[str, Path]) -> None:
    """The seed's 年初预算 total 391.39 does not add up (parts 391.36): every format prints 391.36 and
    names the typed figure — the .docx/.md in the sentence, the .xlsx in the cell's comment."""
    ws = load_workbook(seed_outputs["xlsx"]).worksheets[0]
    row = next(r for r in ws.iter_rows() if r[0].value == "年度资金总额")
    initial = row[2]
    md = seed_outputs["md"].read_text(encoding="utf-8")
    assert "年初预算391.36万元（按分项之和列示；填报数391.39万元" in md
    assert Decimal(str(initial.value)) == Decimal("391.36")
    assert initial.comment is not None and "填报数391.39" in initial.comment.text


def test_heading_deduction_agrees_with_its_items(seed_outputs: dict[str, Path]) -> None:
    """No "扣6分" over items that lose 1 between them; the mismatch itself is written down."""
    md = seed_outputs["md"].read_text(encoding="utf-8")
    head = next(x for x in md.splitlines() if "产出指标（分值" in x)
    assert "扣6分" not in head
    assert "其下各项分值之和为45分" in md


def test_seed_report_findings_agree_across_formats(seed_outputs: dict[str, Path]) -> None:
    codes = {
        fmt: sorted(f.code for f in check_file(seed_outputs[fmt]).findings) for fmt in ("docx", "md", "html")
    }
    assert codes["docx"] == codes["md"] == codes["html"]


@pytest.mark.parametrize("source", ["社会保险基金", "国有资本经营"])
def test_every_source_row_is_read_back(tmp_path: Path, source: str) -> None:
    """A by-source row jixiao prints is one the review reads (else B151/Q401 on a clean report)."""
    ev = random_evaluation(random.Random(3), index=3)
    data = ev.model_dump()
    rows = data["budget"]["by_source"]
    first = next(iter(rows))
    cent = Decimal("0.01")
    # Move one cent of every column from the first source to ``source``: the sources still add up.
    rows[source] = {k: cent for k in ("initial", "annual", "executed") if rows[first].get(k)}
    rows[first] = {k: (v - cent if v else v) for k, v in rows[first].items()}
    assert _errors_in_reports(Evaluation.model_validate(data), tmp_path / "out") == {}
