"""write_outputs: file names, no overwrite without force, no temporary files left, missing writers as notes."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.output import OutputExists
from jixiao.report.emit import output_paths, write_outputs
from tests.report.test_compose import clean_scored

TEXT_FORMATS = ["md", "html", "json"]


def leftovers(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


def test_file_names(tmp_path: Path) -> None:
    s = clean_scored()
    written, notes = write_outputs(s, [], tmp_path, TEXT_FORMATS)
    names = sorted(p.name for p in written)
    assert names == sorted(
        f"示例县档案馆2023年度部门整体支出绩效自评报告.{ext}" for ext in ("md", "html", "json")
    )
    assert notes == []
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)
    assert output_paths(s, tmp_path)["xlsx"].name == "示例县档案馆2023年度部门整体支出绩效自评表.xlsx"
    data = json.loads((tmp_path / "示例县档案馆2023年度部门整体支出绩效自评报告.json").read_text("utf-8"))
    assert Decimal(data["figures"]["total"]) == s.total


def test_refuses_to_overwrite_and_leaves_nothing_behind(tmp_path: Path) -> None:
    s = clean_scored()
    written, _ = write_outputs(s, [], tmp_path, TEXT_FORMATS)
    before = {p: p.read_bytes() for p in written}
    (written[0]).write_text("mine", encoding="utf-8")  # a user's edit must survive
    with pytest.raises(OutputExists):
        write_outputs(s, [], tmp_path, TEXT_FORMATS)
    assert written[0].read_text(encoding="utf-8") == "mine"
    assert {p: p.read_bytes() for p in written[1:]} == {p: before[p] for p in written[1:]}
    assert leftovers(tmp_path) == []
    again, _ = write_outputs(s, [], tmp_path, TEXT_FORMATS, force=True)
    assert again == written
    assert written[0].read_bytes() == before[written[0]]
    assert leftovers(tmp_path) == []


def test_refusal_happens_before_any_write(tmp_path: Path) -> None:
    """If the last target exists, the first must not have been written either."""
    s = clean_scored()
    paths = output_paths(s, tmp_path)
    paths["json"].write_text("{}", encoding="utf-8")
    with pytest.raises(OutputExists):
        write_outputs(s, [], tmp_path, TEXT_FORMATS)
    assert not paths["md"].exists() and not paths["html"].exists()


def test_missing_writer_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import fail as if the module were not installed.
    monkeypatch.setitem(sys.modules, "jixiao.report.xlsx", None)
    written, notes = write_outputs(clean_scored(), [], tmp_path, ["xlsx", "md"])
    assert [p.suffix for p in written] == [".md"]
    assert len(notes) == 1 and "未能生成" in notes[0] and "xlsx" in notes[0]
    assert leftovers(tmp_path) == []


def test_pdf_unavailable_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = pytest.importorskip("jixiao.report.pdf")
    pytest.importorskip("jixiao.report.docx")

    def no_soffice(docx: Path, outdir: Path) -> Path:
        raise pdf.PdfUnavailable()

    monkeypatch.setattr(pdf, "docx_to_pdf", no_soffice)
    written, notes = write_outputs(clean_scored(), [], tmp_path, ["md"], pdf=True)
    assert sorted(p.suffix for p in written) == [".docx", ".md"]
    assert len(notes) == 1 and "LibreOffice" in notes[0]
    assert leftovers(tmp_path) == []


def test_pdf_moved_into_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = pytest.importorskip("jixiao.report.pdf")
    pytest.importorskip("jixiao.report.docx")

    def fake(docx: Path, outdir: Path) -> Path:
        out = outdir / (docx.stem + ".pdf")
        out.write_bytes(b"%PDF-1.4 fake")
        return out

    monkeypatch.setattr(pdf, "docx_to_pdf", fake)
    s = clean_scored()
    written, notes = write_outputs(s, [], tmp_path, ["docx"], pdf=True)
    assert notes == []
    assert output_paths(s, tmp_path)["pdf"].read_bytes() == b"%PDF-1.4 fake"
    assert len(written) == 2
    assert leftovers(tmp_path) == []


def test_unit_name_cannot_escape_outdir(tmp_path: Path) -> None:
    s = clean_scored()
    ev = s.evaluation.model_copy(
        update={"unit": s.evaluation.unit.model_copy(update={"name": "../上级/单位"})}
    )
    from jixiao.model.scoring import score

    written, _ = write_outputs(score(ev, s.framework), [], tmp_path / "out", ["md"])
    assert written[0].parent == tmp_path / "out"
    assert "/" not in written[0].name
