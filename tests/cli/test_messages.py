"""Issue 10 items 7, 9 and 10: what the command line says, and small inconsistencies between outputs.

Exit codes and messages as a user meets them (PDF without LibreOffice, Click's usage errors, numbers
typed with units or thousands commas), the rule catalogue against what the rules emit, and the names
the outputs use (附件, 佐证材料, the 基础数据表's columns).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.author.loaded import load_yaml_evaluation
from jixiao.author.pipeline import evaluate
from jixiao.cli import main
from jixiao.core.decimals import dec
from jixiao.core.findings import Location, Severity
from jixiao.core.rules.registry import CatalogError
from jixiao.report.emit import write_outputs
from jixiao.review.pipeline import check_file
from jixiao.rulesets import every_rule

ROOT = Path(__file__).resolve().parents[2]
SEED_EXAMPLE = ROOT / "examples" / "yanfeng-media-2024.yaml"
COUNTY = ROOT / "examples" / "county-education-2024.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


# ---------------------------------------------------------------- item 7: --pdf


def test_pdf_without_libreoffice_exits_2_and_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao.report import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    code, out = run("report", str(COUNTY), "-o", str(tmp_path / "out"), "--pdf")
    assert code == 2
    assert "LibreOffice" in out and "apt-get install" in out
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_pdf_that_fails_to_convert_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jixiao.report import pdf

    def broken(docx: Path, outdir: Path) -> Path:
        raise pdf.PdfConversionError("LibreOffice 未能转换")

    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "docx_to_pdf", broken)
    code, out = run("report", str(COUNTY), "-o", str(tmp_path / "out"), "--pdf", "--format", "md")
    assert code == 2 and "未能生成 PDF" in out


def test_format_pdf_points_to_the_flag(tmp_path: Path) -> None:
    code, out = run("report", str(COUNTY), "-o", str(tmp_path), "--format", "pdf")
    assert code == 2 and "--pdf" in out


# ---------------------------------------------------------------- item 9: messages


def test_a_unit_after_a_thousands_comma_is_named_as_the_problem() -> None:
    with pytest.raises(ValueError) as info:
        dec("1,234.5万")
    assert "去掉单位" in str(info.value) and "小数点写成了逗号" not in str(info.value)


def test_a_thousands_comma_in_a_flow_mapping_is_explained_with_its_place() -> None:
    text = "framework: mof-2020\nunit: {name: 某局, year: 2024}\nbudget:\n  total: {initial: 1,240.50, annual: 2000}\n"
    loaded = load_yaml_evaluation(text, "unit.yaml")
    assert loaded.evaluation is None
    (finding,) = loaded.findings
    rendered = finding.render()
    assert rendered.startswith("unit.yaml:4:")  # line and column of the stray key
    assert "千位逗号" in rendered and "240.50" in rendered
    assert "Decimal(" not in rendered and "Keys should be strings" not in rendered


@pytest.mark.parametrize(
    "args",
    [
        ("report",),
        ("check",),
        ("report", "--bogus", "x"),
        ("nosuch",),
        ("validate", "--format", "xml", "x.yaml"),
        ("extract", "no-such-file.docx"),
    ],
)
def test_usage_errors_are_in_chinese(args: tuple[str, ...]) -> None:
    code, out = run(*args)
    assert code == 2
    assert "错误：" in out and "用法：" in out
    assert not re.search(r"Error:|Missing argument|No such (?:option|command)|Invalid value|Usage:", out), out


def test_help_option_is_in_chinese() -> None:
    code, out = run("report", "--help")
    assert code == 0 and "显示本帮助并退出" in out and "Show this message" not in out


def test_internal_section_keys_stay_out_of_text_output(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(
        "某局2024年度部门整体支出绩效自评报告\n一、基本情况\n本局负责若干事务。\n", encoding="utf-8"
    )
    _code, out = run("check", str(report))
    assert "T308" in out  # a cut text: said once, with the outline's sections named in Chinese
    assert not re.search(r"results_use|general_budget|fund_budget|部分: [a-z]", out), out


# ---------------------------------------------------------------- item 10: catalogue and outputs


@pytest.mark.parametrize("rule", [r for r in every_rule() if not r.retired], ids=lambda r: r.code)
def test_catalogue_declares_every_level_a_rule_may_emit(rule) -> None:  # type: ignore[no-untyped-def]
    for level in Severity:
        if level in rule.severities:
            assert rule.finding("x", Location(), severity=level).severity is level
        else:
            with pytest.raises(CatalogError):
                rule.finding("x", Location(), severity=level)
    _code, out = run("rules")
    line = next(x for x in out.splitlines() if x.startswith(rule.code + " "))
    assert rule.severity_label in line
    assert "domain.md" not in rule.explain()  # cite the regulations, not a file outside the repository


def test_q401_is_listed_as_it_is_reported() -> None:
    (q401,) = [r for r in every_rule() if r.code == "Q401"]
    assert Severity.WARNING in q401.severities and Severity.ERROR in q401.severities
    _code, out = run("rules")
    assert re.search(r"^Q401\s+错误/警告", out, re.M)


def _corpus() -> list[Path]:
    return sorted((ROOT / "tests" / "fixtures" / "review").glob("*.txt")) + sorted(
        (ROOT / "examples" / "reports").glob("*.txt")
    )


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_emitted_levels_are_the_catalogued_ones(path: Path) -> None:
    rules = {r.code: r for r in every_rule()}
    for finding in check_file(path).findings:
        assert finding.severity in rules[finding.code].severities, finding.render()


def test_emitted_levels_on_the_examples_are_catalogued() -> None:
    rules = {r.code: r for r in every_rule()}
    for example in (SEED_EXAMPLE, COUNTY):
        for finding in evaluate(example).findings:
            assert finding.severity in rules[finding.code].severities, finding.render()


def test_check_html_folder_is_documented() -> None:
    _code, out = run("check", "--help")
    assert "jixiao-check" in re.sub(r"\s+", "", out)
    assert "jixiao-check" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def county_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    result = evaluate(COUNTY)
    assert result.scored is not None
    written, _ = write_outputs(
        result.scored, result.findings, tmp_path_factory.mktemp("c"), ("docx", "md", "html", "json")
    )
    return {p.suffix.lstrip("."): p for p in written}


def test_check_on_jixiao_json_says_it_is_not_a_report(county_outputs: dict[str, Path]) -> None:
    code, out = run("check", str(county_outputs["json"]))
    assert code == 2
    assert "R509" in out and "不是自评报告" in out and "T304" not in out


def test_md_basic_data_puts_head_count_under_this_year(county_outputs: dict[str, Path]) -> None:
    md = county_outputs["md"].read_text(encoding="utf-8")
    header = next(x for x in md.splitlines() if x.startswith("| 类别 |"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    row = next(x for x in md.splitlines() if "编制数（人）" in x)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[columns.index("本年决算数")] == "1860"
    assert cells[columns.index("上年决算数")] in ("—", "")


def test_annexes_have_one_name_in_every_format(county_outputs: dict[str, Path]) -> None:
    import docx

    paragraphs = [p.text for p in docx.Document(str(county_outputs["docx"])).paragraphs]
    md = county_outputs["md"].read_text(encoding="utf-8")
    html = county_outputs["html"].read_text(encoding="utf-8")
    assert "附件1" in paragraphs and "附件2" in paragraphs
    assert "## 附件1　" in md and "## 附件2　" in md and "附表" not in md
    assert "<h2>附件1　" in html and "附表" not in html


def test_evidence_has_a_label_and_extract_drops_it(county_outputs: dict[str, Path]) -> None:
    from jixiao.convert.extract import extract_evaluation

    md = county_outputs["md"].read_text(encoding="utf-8")
    assert "\n佐证材料：全县抽样问卷" in md
    back = extract_evaluation(county_outputs["md"]).evaluation
    evidence = [row[6].evidence for row in back.iter_indicators() if row[6].evidence]
    assert evidence and not any(e.startswith("佐证材料") for e in evidence)
