"""The Word package is opened by its relationships, as Word and python-docx open it (review/read/ooxml.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from jixiao.review.pipeline import check_file
from jixiao.review.read.docx import blocks_from_docx
from jixiao.review.read.ooxml import NotWordPackage, WordPackage


def _word(path: Path, *lines: str) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _rewrite(source: Path, target: Path, renames: dict[str, str], edits: dict[str, tuple[str, str]]) -> Path:
    """A copy of a package with members renamed and text replaced in members (by their new names)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            name = renames.get(item.filename, item.filename)
            data = zin.read(item.filename)
            if name in edits:
                old, new = edits[name]
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zout.writestr(name, data)
    return target


def _texts(path: Path) -> list[str]:
    return [b.text for b in blocks_from_docx(path, path.name)]


def test_the_main_part_is_found_by_its_relationship_not_its_name(tmp_path: Path) -> None:
    plain = _word(tmp_path / "plain.docx", "一、基本情况", "全年预算数120.00万元。")
    moved = _rewrite(
        plain,
        tmp_path / "moved.docx",
        {"word/document.xml": "word/main.xml", "word/_rels/document.xml.rels": "word/_rels/main.xml.rels"},
        {
            "_rels/.rels": ('Target="word/document.xml"', 'Target="/word/main.xml"'),
            "[Content_Types].xml": ("/word/document.xml", "/word/main.xml"),
        },
    )
    assert _texts(moved) == _texts(plain) == ["一、基本情况", "全年预算数120.00万元。"]


def test_styles_are_parsed_only_when_the_document_defines_lists(tmp_path: Path) -> None:
    plain = _word(tmp_path / "plain.docx", "正文")
    with_lists = WordPackage(plain)
    assert with_lists.numbering is not None and with_lists.styles is not None  # the template defines lists
    # The same package with its numbering part unrelated: no lists, and styles are never parsed.
    rels = "word/_rels/document.xml.rels"
    numbering = "/relationships/numbering"
    without = WordPackage(
        _rewrite(plain, tmp_path / "nolists.docx", {}, {rels: (numbering, numbering + "X")})
    )
    assert without.body is not None
    assert without.numbering is None and without.styles is None


def test_a_workbook_renamed_docx_is_refused_with_a_reason(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    book.save(tmp_path / "book.xlsx")
    renamed = tmp_path / "report.docx"
    renamed.write_bytes((tmp_path / "book.xlsx").read_bytes())
    with pytest.raises(NotWordPackage):
        WordPackage(renamed)
    findings = check_file(renamed).findings
    assert [f.code for f in findings] == ["R502"]
    assert "不是 Word 文档" in findings[0].message


def test_a_zip_without_a_main_part_names_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a document")
    findings = check_file(path).findings
    assert [f.code for f in findings] == ["R502"]
    assert "找不到 Word 正文部件" in findings[0].message
