"""Scoring frameworks are data files (weights, scoring methods, grade bands, report outline).

Built-in ones ship as ``*.yaml`` beside this module; a user's own is any file in the same format,
selected by path. ``extends: NAME`` copies another framework and overrides the keys it gives
(``methods`` are merged key by key).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jixiao.core.findings import Finding, Location
from jixiao.core.rules.registry import rule
from jixiao.core.validate import validate
from jixiao.core.yamlio import load_yaml, load_yaml_data
from jixiao.model.values import Amount, OptAmount, Tier


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # schema built on first use


class ExecutionItem(_Strict):
    name: str = "预算执行率"
    weight: Amount = Field(ge=0)
    cap: bool = True


class Level1Spec(_Strict):
    name: str
    weight: Amount = Field(ge=0)
    level2: list[str] = Field(default_factory=list)


class Band(_Strict):
    low: Amount
    high: Amount


class Grade(_Strict):
    name: str
    min: Amount


class Step(_Strict):
    upto: OptAmount = None  # actual (in %) ≤ upto; None = otherwise
    share: OptAmount = None  # fraction of the weight
    points: Amount | Literal["full"] | None = None  # absolute points, "full" = the weight

    @model_validator(mode="after")
    def _one_of(self) -> Step:
        if (self.share is None) == (self.points is None):
            raise ValueError("每一档须且只须给出 share（比例）或 points（分数）之一")
        return self


class Method(_Strict):
    type: Literal["ratio", "reverse-ratio", "reverse-linear-2x", "steps", "deduct-per-point"]
    steps: list[Step] = Field(default_factory=list)
    threshold: OptAmount = None
    per_point: OptAmount = None

    @model_validator(mode="after")
    def _complete(self) -> Method:
        if self.type == "steps" and not self.steps:
            raise ValueError("steps 方法须列出各档")
        if self.type == "steps" and self.steps[-1].upto is not None:
            raise ValueError("steps 的最后一档须不设 upto（兜底档）")
        if self.type == "deduct-per-point" and (self.threshold is None or self.per_point is None):
            raise ValueError("deduct-per-point 方法须给出 threshold 和 per_point")
        return self


class Section(_Strict):
    key: str
    title: str
    match: list[str]
    required: bool = True


class Framework(_Strict):
    name: str
    title: str
    kind: Literal["dept", "project"] = "dept"
    extends: str | None = None
    execution: ExecutionItem | None = None
    level1: list[Level1Spec]
    reverse_method: Literal["ratio", "linear-2x"] = "ratio"
    far_exceed_ratio: Amount = Decimal("1.3")
    low_execution: Amount = Decimal(90)
    tiers: dict[Tier, Band]
    grades: list[Grade]
    methods: dict[str, Method] = Field(default_factory=dict)
    measures: list[str] = Field(default_factory=list)
    outline: list[Section] = Field(default_factory=list)

    @model_validator(mode="after")
    def _coherent(self) -> Framework:
        total = sum((l1.weight for l1 in self.level1), Decimal(0))
        if self.execution is not None:
            total += self.execution.weight
        if total != 100:
            raise ValueError(f"一级指标（含预算执行率）分值之和应为 100，实为 {total}")
        if set(self.tiers) != set(Tier):
            raise ValueError("tiers 须列出三个档次：" + "、".join(t.value for t in Tier))
        mins = [g.min for g in self.grades]
        if not mins or mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("grades 须按 min 从高到低排列，最后一档 min 为 0")
        return self

    @property
    def total_weight(self) -> Decimal:
        return Decimal(100)

    def grade_for(self, total: Decimal) -> str:
        for g in self.grades:
            if total >= g.min:
                return g.name
        return self.grades[-1].name


class FrameworkError(Exception):
    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.render() for f in findings))
        self.findings = findings


def builtin_names() -> list[str]:
    files = resources.files("jixiao.model.frameworks")
    return sorted(p.name.removesuffix(".yaml") for p in files.iterdir() if p.name.endswith(".yaml"))


def _raw(name_or_path: str) -> tuple[str, str]:
    """(text, shown file name) of a framework given by built-in name or path."""
    if name_or_path in builtin_names():
        res = resources.files("jixiao.model.frameworks") / f"{name_or_path}.yaml"
        return res.read_text(encoding="utf-8"), f"<内置框架 {name_or_path}>"
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path.read_text(encoding="utf-8"), str(path)
    raise FrameworkError(
        [
            rule("I605").finding(
                f"找不到评价框架 {name_or_path!r}：内置框架有 {', '.join(builtin_names())}，或给出 .yaml 文件路径",
                Location(path=name_or_path),
            )
        ]
    )


class _Unusual(Exception):
    """Raised by a quick read (``_data(quick=True)``) where the careful one has something to say."""


def _data(
    name_or_path: str, seen: tuple[str, ...] = (), *, quick: bool = False
) -> tuple[dict[str, Any], dict[str, Location], str]:
    """The framework's data with ``extends`` applied, its source map and its shown name. ``quick``:
    without positions (an empty map), raising ``_Unusual`` at anything the careful read reports."""
    text, shown = _raw(name_or_path)
    smap: dict[str, Location] = {}
    findings: list[Finding] = []
    if quick:
        data = load_yaml_data(text)
        if not isinstance(data, dict):
            raise _Unusual
    else:
        data, smap, findings = load_yaml(text, shown)
    if findings:
        raise FrameworkError(
            [rule("I605").finding(f.message, f.location, excerpt=f.excerpt) for f in findings]
        )
    if not isinstance(data, dict):
        raise FrameworkError(
            [rule("I605").finding("框架文件须是一个映射（键: 值）", Location(path=shown, line=1))]
        )
    parent = data.get("extends")
    for key in ("methods", "tiers"):
        if key in data and not isinstance(data[key], dict):
            if quick:
                raise _Unusual
            raise FrameworkError(
                [rule("I605").finding(f"`{key}` 须是“名称: 设置”的映射", smap.get(key, Location(path=shown)))]
            )
    if parent:
        parent_path = Path(shown).parent / str(parent)
        if (
            str(parent) not in builtin_names()
            and not Path(str(parent)).is_absolute()
            and parent_path.is_file()
        ):
            parent = str(parent_path)  # a parent file is found beside the child, as a user expects
        if parent in seen:
            if quick:
                raise _Unusual
            raise FrameworkError(
                [rule("I605").finding(f"extends 循环：{' → '.join((*seen, parent))}", smap.get("extends"))]
            )
        base, _, _ = _data(str(parent), (*seen, name_or_path), quick=quick)
        methods = {**base.get("methods", {}), **data.get("methods", {})}
        data = {**base, **data, "methods": methods}
    return data, smap, shown


@cache
def load_framework(name_or_path: str = "mof-2020") -> Framework:
    """Load a framework by built-in name or file path. Raises FrameworkError (with findings) if invalid.

    Read first without positions (the C parser, no source map: `jixiao check` starts faster); a
    framework that does not load that way is read again with positions for its findings."""
    try:
        return Framework.model_validate(_data(name_or_path, quick=True)[0])
    except (_Unusual, ValidationError):
        pass
    data, smap, shown = _data(name_or_path)
    fw, findings = validate(Framework, data, smap, shown)
    if fw is None:
        raise FrameworkError([rule("I605").finding(f.message, f.location, values=f.values) for f in findings])
    return fw
