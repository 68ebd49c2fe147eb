"""The composed report: what every document writer renders (docx, Markdown, HTML).

``compose.py`` builds a ReportDoc from a Scored evaluation once; each writer only lays it out, so the
same sentences and figures appear in every format (and round-trip tests can compare any of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


def annex_label(index: int) -> str:
    """ "附件1": one name for an annex in every format (GB/T 9704 calls them 附件)."""
    return f"附件{index}"


@dataclass(frozen=True)
class TableCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    align: Literal["left", "center", "right"] = "left"


@dataclass(frozen=True)
class TableContent:
    """A table with merged cells. Positions covered by a span are simply absent from ``rows``."""

    title: str
    rows: list[list[TableCell]]
    columns: int
    widths: list[float] = field(default_factory=list)  # relative widths, optional
    note: str = ""  # e.g. "金额单位：万元"


@dataclass(frozen=True)
class Paragraph:
    text: str


Item = Paragraph | TableContent


@dataclass(frozen=True)
class SectionContent:
    key: str  # outline key from the framework ("basic", "problems"...) or "" for subsections
    title: str  # without its number
    level: int  # 1 = 一、 2 = （一） 3 = 1． 4 = （1）
    items: list[Item] = field(default_factory=list)
    children: list[SectionContent] = field(default_factory=list)


@dataclass(frozen=True)
class ReportDoc:
    title: str  # e.g. "雁峰区融媒体中心2024年度部门整体支出绩效自评报告"
    preamble: list[Paragraph]
    sections: list[SectionContent]
    annexes: list[TableContent]  # 自评表, 基础数据表 (placed after the text)
    unit_name: str
    year: int
