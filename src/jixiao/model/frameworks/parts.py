"""A framework's parts as plain frozen dataclasses, and the rules that make a framework coherent.

Plain objects, so the review path (which only reads a framework) starts without pydantic: ``read`` builds
them from the file's data. pydantic validates the same classes (``load_framework``) only when that read declines
a file, to say what is wrong and where: the annotations (``Amount``: a figure read from its text) and
``__pydantic_config__`` are for it; ``__post_init__`` checks coherence for both.
Fields keep the order of the framework file's documentation (``kw_only``: defaults may come first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal

from jixiao.model.values import Amount, NonNegativeAmount, OptAmount, Tier

MethodType = Literal["ratio", "reverse-ratio", "reverse-linear-2x", "steps", "deduct-per-point"]
Kind = Literal["dept", "project"]
ReverseMethod = Literal["ratio", "linear-2x"]


class _Part:
    """Unknown keys in a framework file are errors (pydantic's config; a ConfigDict is a plain dict)."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}


@dataclass(frozen=True, kw_only=True)
class ExecutionItem(_Part):
    name: str = "预算执行率"
    weight: NonNegativeAmount
    cap: bool = True


@dataclass(frozen=True, kw_only=True)
class Level1Spec(_Part):
    name: str
    weight: NonNegativeAmount
    level2: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Band(_Part):
    low: Amount
    high: Amount


@dataclass(frozen=True, kw_only=True)
class Grade(_Part):
    name: str
    min: Amount


@dataclass(frozen=True, kw_only=True)
class Step(_Part):
    upto: OptAmount = None  # actual (in %) ≤ upto; None = otherwise
    share: OptAmount = None  # fraction of the weight
    points: Amount | Literal["full"] | None = None  # absolute points, "full" = the weight

    def __post_init__(self) -> None:
        _check(step_problem(self))


@dataclass(frozen=True, kw_only=True)
class Method(_Part):
    type: MethodType
    steps: list[Step] = field(default_factory=list)
    threshold: OptAmount = None
    per_point: OptAmount = None

    def __post_init__(self) -> None:
        _check(method_problem(self))


@dataclass(frozen=True, kw_only=True)
class Section(_Part):
    key: str
    title: str
    match: list[str]
    required: bool = True


@dataclass(frozen=True, kw_only=True)
class Framework(_Part):
    name: str
    title: str
    kind: Kind = "dept"
    extends: str | None = None
    execution: ExecutionItem | None = None
    level1: list[Level1Spec]
    reverse_method: ReverseMethod = "ratio"
    far_exceed_ratio: Amount = Decimal("1.3")
    low_execution: Amount = Decimal(90)
    tiers: dict[Tier, Band]
    grades: list[Grade]
    methods: dict[str, Method] = field(default_factory=dict)
    measures: list[str] = field(default_factory=list)
    outline: list[Section] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check(framework_problem(self))

    @property
    def total_weight(self) -> Decimal:
        return Decimal(100)

    def grade_for(self, total: Decimal) -> str:
        for g in self.grades:
            if total >= g.min:
                return g.name
        return self.grades[-1].name


# --- coherence: each returns what is wrong (a Chinese message) or None ---------------------------------


def _check(problem: str | None) -> None:
    if problem is not None:
        raise ValueError(problem)  # pydantic reports it at the part; the plain read declines the file


def step_problem(step: Any) -> str | None:
    if (step.share is None) == (step.points is None):
        return "每一档须且只须给出 share（比例）或 points（分数）之一"
    return None


def method_problem(method: Any) -> str | None:
    if method.type == "steps" and not method.steps:
        return "steps 方法须列出各档"
    if method.type == "steps" and method.steps[-1].upto is not None:
        return "steps 的最后一档须不设 upto（兜底档）"
    if method.type == "deduct-per-point" and (method.threshold is None or method.per_point is None):
        return "deduct-per-point 方法须给出 threshold 和 per_point"
    return None


def framework_problem(fw: Any) -> str | None:
    total = sum((l1.weight for l1 in fw.level1), Decimal(0))
    if fw.execution is not None:
        total += fw.execution.weight
    if total != 100:
        return f"一级指标（含预算执行率）分值之和应为 100，实为 {total}"
    if set(fw.tiers) != set(Tier):
        return "tiers 须列出三个档次：" + "、".join(t.value for t in Tier)
    mins = [g.min for g in fw.grades]
    if not mins or mins != sorted(mins, reverse=True) or mins[-1] != 0:
        return "grades 须按 min 从高到低排列，最后一档 min 为 0"
    return None
