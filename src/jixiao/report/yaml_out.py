"""An Evaluation as YAML text in the shape ``jixiao.author`` reads reads, with Chinese comments.

Decimals are written exactly as stored — 279.10 stays ``279.10``, 90 stays ``90`` — so the text loads
back to an equal Evaluation with the same decimals. Fields at their default value are left out, as a
person would write the file. Multi-line texts become ``|`` blocks when that is exact; the result is
checked by loading it back, and any text a block cannot carry exactly is written quoted instead.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from enum import Enum
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from jixiao.core.validate import validate
from jixiao.core.yamlio import load_yaml
from jixiao.model.evaluation import Evaluation

SECTION_COMMENTS = {
    "framework": "评价框架：内置名称（mof-2020、mof-2013-dept、hunan-2013-dept）或框架文件路径",
    "amount_unit": "金额单位：万元 或 元",
    "unit": "单位基本情况",
    "budget": "资金情况：年度资金总额、按来源、按性质（年初预算数 initial / 全年预算数 annual / 全年执行数 executed）",
    "goals": "年度总体目标：预期目标与实际完成情况",
    "indicators": "绩效指标：一级 → 二级 → 三级（预算执行率由框架计算，不在此列）",
    "basic_data": "基础数据表：上年决算 previous / 本年预算 budget / 本年决算 final",
    "narrative": "叙述：概述、问题、改进措施、结果应用、其他",
}
_FUNDS_KEYS = {"initial", "annual", "executed"}


def _represent_decimal(rep: RoundTripRepresenter, value: Decimal) -> Any:
    exponent = value.as_tuple().exponent
    text = str(value)
    if exponent == 0:
        return rep.represent_scalar("tag:yaml.org,2002:int", text)  # 90, not 90.0: same decimals as stored
    if isinstance(exponent, int) and exponent < 0 and "E" not in text:
        return rep.represent_scalar("tag:yaml.org,2002:float", text)
    # 1E+2 and the like: as text, which the model reads as the same Decimal (exponent included)
    return rep.represent_scalar("tag:yaml.org,2002:str", text)


class _Representer(RoundTripRepresenter):
    def ignore_aliases(self, data: Any) -> bool:
        # Never `&id001 10` … `*id001`: one shared Decimal object would become an anchor, and a person who
        # edits that one figure would silently change every weight and score that aliases it.
        return True


_Representer.add_representer(Decimal, _represent_decimal)


def _block_safe(text: str) -> bool:
    """Worth trying as a ``|`` block (the load-back check in ``dump_evaluation`` has the last word)."""
    if "\n" not in text or "\r" in text or text[0].isspace():
        return False
    lines = text.split("\n")
    return all(line == line.rstrip() for line in lines) and all(ch.isprintable() or ch == "\n" for ch in text)


def _node(value: Any, key: str, blocks: bool) -> Any:
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[str(k)] = _node(v, str(k), blocks)
        if (value and set(value) <= _FUNDS_KEYS) or key == "projects_item":
            m.fa.set_flow_style()
        return m
    if isinstance(value, list):
        seq = CommentedSeq()
        for item in value:
            seq.append(_node(item, f"{key}_item", blocks))
        return seq
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        text = str(value)
        if blocks and _block_safe(text):
            return LiteralScalarString(text)
        if any(not ch.isprintable() and ch != "\n" for ch in text):
            # Line-break characters such as U+0085 would be folded inside plain or single quotes:
            # only a double-quoted scalar escapes them.
            return DoubleQuotedScalarString(text)
        return text
    return value


def _data(ev: Evaluation) -> dict[str, Any]:
    data = ev.model_dump(mode="python", exclude_defaults=True)
    # Always state the framework and the unit of money: a reader of the file should not have to know defaults.
    ordered: dict[str, Any] = {"framework": ev.framework, "amount_unit": ev.amount_unit}
    for key in Evaluation.model_fields:
        if key in data and key not in ordered:
            ordered[key] = data[key]
    return ordered


def _render(ev: Evaluation, blocks: bool) -> str:
    root = _node(_data(ev), "", blocks)
    assert isinstance(root, CommentedMap)
    shown = "".join(ch if ch.isprintable() else " " for ch in ev.unit.name)  # a comment is one plain line
    root.yaml_set_start_comment(
        f"{shown} {ev.unit.year} 年度部门整体支出绩效自评数据（金额单位：{ev.amount_unit}）。\n"
        "由 jixiao 导出；可直接编辑后运行 `jixiao validate 本文件` 检查。"
    )
    for key in list(root):
        if key in SECTION_COMMENTS and key != next(iter(root)):
            root.yaml_set_comment_before_after_key(key, before="\n" + SECTION_COMMENTS[key])
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.width = 4096  # long sentences stay on one line
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def _exact(ev: Evaluation | None) -> str:
    """Equality that also sees decimals: 279.1 and 279.10 compare equal as Decimals, not here."""
    return "" if ev is None else json.dumps(ev.model_dump(mode="python"), default=repr, ensure_ascii=False)


def _reload(text: str) -> Evaluation | None:
    """``text`` read back as the author path reads YAML (the same two core stages, without the loader)."""
    data, smap, findings = load_yaml(text, "<dump>")
    if findings or not isinstance(data, dict):
        return None
    ev, _ = validate(Evaluation, data, smap, "<dump>")
    return ev


def dump_evaluation(ev: Evaluation) -> str:
    """YAML text for ``ev``; loading it back gives an equal Evaluation with the same decimals."""
    text = _render(ev, blocks=True)
    if _exact(_reload(text)) != _exact(ev):
        text = _render(ev, blocks=False)  # some text a | block cannot hold exactly: quote everything
    return text
