"""Texts the writers print where the data says nothing, and the note for a figure printed as its sum.

One list shared by every writer (``compose``, the .xlsx) and by ``jixiao extract``: a placeholder such as
"偏差原因未填写" must be recognisable so that extracting a generated report never reads it back as
content (the next report would print "偏差原因：偏差原因未填写" and the missing reason would go unreported).
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.report.numbers import fmt_amount, fmt_score

__all__ = [
    "EMPTY_SECTIONS",
    "EVIDENCE_LABEL",
    "MISSING",
    "MISSING_REASON",
    "NOTHING",
    "PLACEHOLDERS",
    "REPLACED_NOTE",
    "is_placeholder",
    "replaced_note",
    "weight_mismatch_note",
]

EVIDENCE_LABEL = "佐证材料："  # before an indicator's evidence in the text; extract strips it
MISSING = "未填写"  # a 年度指标值, 实际完成值 or 偏差原因 the data leaves blank
MISSING_REASON = "偏差原因未填写"  # the 自评表 cell of a deduction without a reason
NOTHING = {
    "problems": "本年度无需要报告的问题。",
    "measures": "本年度无需要报告的改进措施。",
    "results_use": "本年度无需要报告的自评结果应用和公开情况。",
    "other": "无其他需要说明的情况。",
}
EMPTY_SECTIONS = {
    "functions": "未填写部门职能职责。",
    "org": "未填写机构设置和决算单位构成。",
    "staff": "未填写人员编制情况。",
    "level3": "未设置三级指标。",
    "": "无。",
}
PLACEHOLDERS = frozenset({MISSING, MISSING_REASON, "—", *NOTHING.values(), *EMPTY_SECTIONS.values()})
_TRIM = " \t\u3000。．.；;，,"
_BARE = frozenset(p.strip(_TRIM) for p in PLACEHOLDERS)


def is_placeholder(text: str) -> bool:
    """True for a text a writer printed in place of missing data ("未填写。", "偏差原因未填写"…)."""
    return text.strip(_TRIM) in _BARE


# "年度资金总额年初预算数按分项之和列示为391.36（填报数391.39，与分项之和不符）": the 自评表 prints the sum
# and names the stated figure, which extract restores (so the data's own difference, B102, survives).
REPLACED_NOTE = re.compile(
    r"(?P<row>[^；;，,。（(]+?)(?P<column>年初预算数|全年预算数|全年执行数)按分项之和列示为(?P<shown>[-\d.,]+)"
    r"[（(]填报数(?P<typed>[-\d.,]+)[，,]与分项之和不符[）)]"
)


def weight_mismatch_note(name: str, stated: Decimal, parts: Decimal) -> str:
    """Under a first-level indicator whose stated 分值 is not the sum of its items' (S201 in the data)."""
    return f"注：{name}分值按填报数列示为{fmt_score(stated)}分，其下各项分值之和为{fmt_score(parts)}分，二者不符。"


def replaced_note(row: str, column: str, shown: Decimal | None, typed: Decimal | None) -> str:
    return f"{row}{column}按分项之和列示为{fmt_amount(shown)}（填报数{fmt_amount(typed)}，与分项之和不符）"
