"""The evaluation model every stage shares: a unit's year, its money, its indicators, its narrative.

Amounts are Decimals in ``amount_unit`` (万元 by default), precision as written. Nothing here does I/O.
Scores the framework computes are not stored here: see ``scoring.py``, which returns a ``Scored`` view.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

# Shared with the frameworks (the review path loads a framework without the evaluation's models).
from jixiao.model.values import Amount as Amount
from jixiao.model.values import OptAmount as OptAmount
from jixiao.model.values import Tier as Tier


class Strict(BaseModel):
    # Schemas are built when a model is first validated, not at import: the review path imports these
    # types and validates none of them (`jixiao check` starts faster).
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, populate_by_name=True, defer_build=True
    )


class Nature(StrEnum):
    """指标性质 (domain.md §4)."""

    AT_LEAST = "≥"  # 正向
    AT_MOST = "≤"  # 反向
    EQUAL = "="
    QUALITATIVE = "定性"

    @classmethod
    def parse(cls, text: str) -> Nature:
        t = str(text).strip()
        aliases = {
            ">=": cls.AT_LEAST, "≥": cls.AT_LEAST, "＞＝": cls.AT_LEAST, "大于等于": cls.AT_LEAST, "正向": cls.AT_LEAST,
            "<=": cls.AT_MOST, "≤": cls.AT_MOST, "＜＝": cls.AT_MOST, "小于等于": cls.AT_MOST, "反向": cls.AT_MOST,
            "=": cls.EQUAL, "＝": cls.EQUAL, "等于": cls.EQUAL,
            "定性": cls.QUALITATIVE,
        }  # fmt: skip
        if t in aliases:
            return aliases[t]
        raise ValueError(f"指标性质应为 ≥ ≤ = 定性 之一，而不是 {t!r}")


def _nature(value: Any) -> Any:
    return value if isinstance(value, Nature) else Nature.parse(value)


def _tier(value: Any) -> Any:
    if value is None or value == "":
        return None
    return value if isinstance(value, Tier) else Tier.parse(value)


NatureField = Annotated[Nature, BeforeValidator(_nature)]
TierField = Annotated[Tier | None, BeforeValidator(_tier)]


SOURCES = ("一般公共预算", "政府性基金", "国有资本经营", "社会保险基金", "纳入专户管理的非税收入", "其他")
Source = Literal[
    "一般公共预算", "政府性基金", "国有资本经营", "社会保险基金", "纳入专户管理的非税收入", "其他"
]


class Funds(Strict):
    """One row of the 自评表 money block."""

    initial: OptAmount = Field(default=None, description="年初预算数")
    annual: OptAmount = Field(default=None, description="全年预算数")
    executed: OptAmount = Field(default=None, description="全年执行数")


class Project(Funds):
    name: str = Field(description="项目名称")
    key: bool = Field(default=False, description="是否重点项目（重点支出安排率用）")


class Budget(Strict):
    """资金情况: the total, by source, by nature, with carry-over and the explanations rules ask for."""

    total: Funds = Field(default_factory=Funds, description="年度资金总额")
    by_source: dict[Source, Funds] = Field(default_factory=dict, description="按来源")
    basic: Funds | None = Field(default=None, description="基本支出")
    personnel: Funds | None = Field(default=None, description="人员经费")
    public: Funds | None = Field(default=None, description="日常公用经费")
    project: Funds | None = Field(default=None, description="项目支出")
    projects: list[Project] = Field(default_factory=list, description="项目明细")
    carry_over: OptAmount = Field(default=None, description="上年结转")
    adjustment_note: str = Field(default="", description="年中预算调整说明")
    execution_note: str = Field(default="", description="执行偏差说明（执行率低于90%或超预算时）")


class Indicator(Strict):
    """三级指标."""

    name: str = Field(description="三级指标名称")
    weight: Amount = Field(ge=0, description="分值")
    nature: NatureField = Field(default=Nature.AT_LEAST, description="指标性质")
    target: OptAmount = Field(default=None, description="年度指标值（定量）")
    target_text: str = Field(default="", description="年度指标值（定性描述）")
    unit: str = Field(default="", description="计量单位")
    actual: OptAmount = Field(default=None, description="实际完成值（定量）")
    actual_text: str = Field(default="", description="实际完成值（定性描述）")
    tier: TierField = Field(default=None, description="定性指标档次")
    score: OptAmount = Field(
        default=None, description="得分：定性指标由单位在档次区间内选定；定量指标由程序计算"
    )
    method: str = Field(default="", description="评分方法（框架中的名称），空则按性质")
    measure: str = Field(default="", description="由资金数据计算实际值的口径（框架中定义）")
    evidence: str = Field(default="", description="佐证材料/完成情况说明")
    deviation_reason: str = Field(default="", description="偏差原因（扣分原因）")
    improvement: str = Field(default="", description="改进措施")

    @property
    def quantitative(self) -> bool:
        return self.nature is not Nature.QUALITATIVE


class Level2(Strict):
    name: str = Field(description="二级指标")
    weight: OptAmount = Field(default=None, ge=0, description="分值（不填则为下级之和）")
    indicators: list[Indicator] = Field(default_factory=list)


class Level1(Strict):
    name: str = Field(description="一级指标")
    weight: Amount = Field(ge=0, description="分值")
    groups: list[Level2] = Field(default_factory=list, description="二级指标")


class Unit(Strict):
    name: str = Field(description="单位名称")
    year: int = Field(description="年度", ge=1990, le=2100)
    level: str = Field(default="", description="层级，如 区县级")
    functions: list[str] = Field(default_factory=list, description="职能职责")
    internal_bodies: list[str] = Field(default_factory=list, description="内设机构")
    budget_units: list[str] = Field(default_factory=list, description="决算单位构成")
    staff_quota: int | None = Field(default=None, description="编制数")
    staff_actual: int | None = Field(default=None, description="实有人数")


class BasicLine(Strict):
    """基础数据表 line: 上年决算 | 本年预算 | 本年决算."""

    name: str
    category: str = Field(default="", description="三公经费 / 公用经费 / 政府采购 / 其他")
    previous: OptAmount = Field(default=None, description="上年决算数")
    budget: OptAmount = Field(default=None, description="本年预算数")
    final: OptAmount = Field(default=None, description="本年决算数")


class Goals(Strict):
    expected: str = Field(default="", description="年度总体目标·预期目标")
    achieved: str = Field(default="", description="年度总体目标·实际完成情况")


class Narrative(Strict):
    overview: str = Field(default="", description="部门整体支出绩效情况概述")
    problems: str = Field(default="", description="存在的问题及原因分析")
    measures: str = Field(default="", description="下一步改进措施")
    results_use: str = Field(default="", description="自评结果拟应用和公开情况")
    other: str = Field(default="", description="其他需要说明的情况")


class Evaluation(Strict):
    """A unit's year: everything a 部门整体支出绩效自评报告 is written from."""

    framework: str = Field(default="mof-2020", description="评价框架名称或框架文件路径")
    amount_unit: Literal["万元", "元"] = Field(default="万元", description="金额单位")
    unit: Unit
    budget: Budget = Field(default_factory=Budget)
    goals: Goals = Field(default_factory=Goals)
    indicators: list[Level1] = Field(
        default_factory=list, description="一级指标（预算执行率由框架计算，不在此列）"
    )
    basic_data: list[BasicLine] = Field(default_factory=list, description="基础数据表")
    narrative: Narrative = Field(default_factory=Narrative)

    def iter_indicators(self) -> list[tuple[str, int, int, int, Level1, Level2, Indicator]]:
        """(model path, i, j, k, level1, level2, indicator) for every 三级 indicator."""
        out = []
        for i, l1 in enumerate(self.indicators):
            for j, l2 in enumerate(l1.groups):
                for k, ind in enumerate(l2.indicators):
                    out.append((f"indicators.{i}.groups.{j}.indicators.{k}", i, j, k, l1, l2, ind))
        return out
