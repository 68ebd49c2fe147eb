"""A submission checked as a whole: which files belong together, and the findings where a report and its
own 自评表 disagree (Q410–Q415); every file of a folder that is not checked is named."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jixiao.cli import main
from jixiao.review.submission import group_files, is_sheet_file
from tests.fixtures.sheets import figures, mof_project


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def groups(*names: str) -> list[list[str]]:
    paths = [Path(n) for n in names]
    return [[paths[i].as_posix() for i in g] for g in group_files(paths)]


# ---------------------------------------------------------------- which files belong together


def test_names_alike_once_the_role_words_are_out_belong_together() -> None:
    assert groups(
        "a/城乡道路养护项目绩效自评报告.docx",
        "a/2023年城乡道路养护项目自评表.xlsx",
        "a/清河县农业农村局2023年度部门整体支出绩效自评报告.pdf",
        "a/清河县农业农村局2023年度部门整体支出绩效自评表.xls",
        "a/高标准农田项目自评表.xlsx",  # no report of its own
    ) == [
        ["a/城乡道路养护项目绩效自评报告.docx", "a/2023年城乡道路养护项目自评表.xlsx"],
        [
            "a/清河县农业农村局2023年度部门整体支出绩效自评报告.pdf",
            "a/清河县农业农村局2023年度部门整体支出绩效自评表.xls",
        ],
    ]


def test_the_same_name_in_two_formats_and_an_attachment_prefix() -> None:
    assert groups("b/养护.docx", "b/养护.xlsx") == [["b/养护.docx", "b/养护.xlsx"]]
    assert groups("b/附件2：养护项目自评表.et", "b/养护项目自评报告.wps") == [
        ["b/附件2：养护项目自评表.et", "b/养护项目自评报告.wps"]
    ]


def test_different_years_or_folders_never_belong_together() -> None:
    assert groups("c/2022年养护项目自评报告.docx", "c/2023年养护项目自评表.xlsx") == []
    assert groups("c/养护项目自评报告.docx", "d/养护项目自评表.xlsx") == []
    assert groups("c/养护项目自评报告.docx", "c/养护项目自评报告.pdf") == []  # no 自评表


def test_one_report_and_one_table_in_a_folder_belong_together_whatever_their_names() -> None:
    assert groups("e/报告终稿.docx", "e/附表.xlsx") == [["e/报告终稿.docx", "e/附表.xlsx"]]
    assert groups("e/报告终稿.docx", "e/附表.xlsx", "e/另一张.xlsx") == []


def test_a_document_named_as_a_table_is_a_table() -> None:
    assert is_sheet_file("项目支出绩效自评表.pdf") and is_sheet_file("x.et")
    assert not is_sheet_file("绩效自评报告.docx")


# ---------------------------------------------------------------- a report against its 自评表

REPORT = """高标准农田建设项目绩效自评报告

一、项目基本情况
本项目年初预算数500.00万元，全年预算数{budget}万元，全年执行数494.00万元，预算执行率为{rate}%。

二、绩效自评结论
经自评，本项目综合得分为{total}分，评价等级为{grade}。
"""


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    mof_project(tmp_path / "高标准农田建设项目绩效自评表.xlsx")
    return tmp_path


def write_report(folder: Path, **figures_: str) -> Path:
    f = figures()
    values = {"budget": "520.00", "rate": "95.00", "total": str(f.true_total), "grade": "优", **figures_}
    path = folder / "高标准农田建设项目绩效自评报告.txt"
    path.write_text(REPORT.format(**values), encoding="utf-8")
    return path


def bundle_findings(folder: Path, *extra: str) -> list[dict[str, object]]:
    result = run(str(folder), "--format", "json", "--jobs", "1", *extra)
    doc = json.loads(result.stdout)
    return [f for e in doc["files"] for f in e["findings"] if str(f["code"]).startswith("Q41")]


def test_an_agreeing_report_gets_no_bundle_finding(submission: Path) -> None:
    write_report(submission)
    assert bundle_findings(submission) == []


def test_a_report_that_disagrees_with_its_table_names_both_files(submission: Path) -> None:
    report = write_report(submission, budget="530.00", rate="93.21", total="96", grade="良")
    found = {f["code"]: f for f in bundle_findings(submission)}
    assert set(found) == {"Q410", "Q411", "Q412", "Q413"}
    for f in found.values():
        assert f["path"] == str(report)
        related = {r["path"] for r in f["related"]}  # type: ignore[attr-defined]
        assert related == {str(report), str(submission / "高标准农田建设项目绩效自评表.xlsx")}
    values = found["Q410"]["values"]
    assert isinstance(values, dict) and values["stated"] == "96"
    assert Decimal(values["other"]) == figures().true_total


@pytest.mark.parametrize(("total", "codes"), [("98.5", []), ("99", []), ("98", []), ("97", ["Q410"])])
def test_a_total_rounded_in_the_report_agrees(submission: Path, total: str, codes: list[str]) -> None:
    assert figures().true_total == Decimal("98.5")  # the table's 总分 row
    write_report(submission, total=total)  # "99" and "98" may be 98.5 rounded to a whole point
    assert [f["code"] for f in bundle_findings(submission)] == codes


def test_no_bundle_checks_each_file_alone(submission: Path) -> None:
    write_report(submission, total="96")
    assert bundle_findings(submission, "--no-bundle") == []
    assert [f["code"] for f in bundle_findings(submission)] == ["Q410"]


def test_the_order_of_the_output_is_the_order_of_the_files(submission: Path) -> None:
    write_report(submission, total="96")
    (submission / "其他.txt").write_text("一、基本情况\n无。\n", encoding="utf-8")
    result = run(str(submission), "--format", "json", "--jobs", "2")
    files = json.loads(result.stdout)["files"]
    assert [Path(e["path"]).name for e in files] == sorted(Path(e["path"]).name for e in files)
    # The facts crossed from the worker processes: the comparison is the same as in one process.
    assert [f["code"] for e in files for f in e["findings"] if f["code"].startswith("Q41")] == ["Q410"]


# ---------------------------------------------------------------- no silent skips


def test_every_file_not_checked_is_named(tmp_path: Path) -> None:
    write_report(tmp_path)
    (tmp_path / "盖章页.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "~$绩效自评报告.docx").write_bytes(b"lock")
    (tmp_path / "说明").write_text("无扩展名", encoding="utf-8")
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "objects" / "ab12").write_bytes(b"x")
    text = run(str(tmp_path)).stdout
    assert "未审查的文件（4 个）" in text
    for name in ("盖章页.png", "~$绩效自评报告.docx", "说明", ".git"):
        assert name in text
    assert "ab12" not in text  # a hidden folder is named once, not file by file
    doc = json.loads(run(str(tmp_path), "--format", "json").stdout)
    reasons = {Path(s["path"]).name: s["reason"] for s in doc["skipped"]}
    assert set(reasons) == {"盖章页.png", "~$绩效自评报告.docx", "说明", ".git"}
    assert "锁文件" in reasons["~$绩效自评报告.docx"] and ".png" in reasons["盖章页.png"]


def test_a_table_file_with_two_different_totals_is_not_compared(tmp_path: Path) -> None:
    one = "一级指标\t二级指标\t三级指标\t分值\t得分\n产出指标\t数量指标\t甲\t100\t{score}\n总分\t\t\t100\t{score}\n"
    (tmp_path / "养护项目自评表.txt").write_text(
        one.format(score="90") + "\n说明：第二个项目\n\n" + one.format(score="80"), encoding="utf-8"
    )
    (tmp_path / "养护项目自评报告.txt").write_text("一、结论\n经自评，综合得分95分。\n", encoding="utf-8")
    assert bundle_findings(tmp_path) == []
    (tmp_path / "养护项目自评表.txt").write_text(one.format(score="90"), encoding="utf-8")
    assert [f["code"] for f in bundle_findings(tmp_path)] == ["Q410"]
