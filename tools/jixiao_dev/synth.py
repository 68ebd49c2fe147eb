"""Seeded random *valid* evaluations for the mof-2020 framework (accuracy harness, benchmarks, demos).

``random_evaluation(rng, index=...)`` builds an Evaluation a careful officer could have typed: plausible
unit and indicator names, amounts with at most 2 decimals whose by-source and by-nature parts add up
exactly (年度资金总额 = Σ 来源 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 日常公用经费, 项目支出 = Σ 项目),
execution never above budget in any row, indicator weights that close at every level, mixed natures,
qualitative scores inside their tier's band, and a reason and a measure for every deduction. So the
model rules find no error in it, and a report composed from it is a *clean* report.

Only the standard library and ``jixiao.model.evaluation`` are used: no hypothesis, no faker (the benchmarks and
the harness run where the test extras are not installed). All money is built in whole cents (分 of the
amount unit) as integers, so every sum is exact before it becomes a Decimal.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.evaluation import (
    BasicLine,
    Budget,
    Evaluation,
    Funds,
    Goals,
    Indicator,
    Level1,
    Level2,
    Narrative,
    Nature,
    Project,
    Tier,
    Unit,
)

__all__ = ["cents", "random_evaluation", "random_evaluations"]

# --------------------------------------------------------------------------- vocabulary

_PLACES = (
    "岳塘区", "雨湖区", "醴陵市", "攸县", "茶陵县", "衡山县", "衡东县", "祁东县", "邵东市", "新邵县",
    "隆回县", "平江县", "湘阴县", "汨罗市", "桃源县", "澧县", "慈利县", "桑植县", "安化县", "沅江市",
    "宜章县", "永兴县", "嘉禾县", "道县", "宁远县", "江华县", "辰溪县", "溆浦县", "新化县", "涟源市",
)  # fmt: skip
_BODIES = (
    "教育局", "卫生健康局", "农业农村局", "自然资源局", "文化旅游广电体育局", "融媒体中心", "民政局",
    "人力资源和社会保障局", "水利局", "交通运输局", "市场监督管理局", "司法局", "统计局", "档案馆",
    "机关事务服务中心", "林业局", "应急管理局", "退役军人事务局", "医疗保障局", "城市管理局",
)  # fmt: skip
_INTERNAL = (
    "办公室", "财务股", "综合股", "法规股", "业务股", "规划股", "信息中心", "人事股", "监督检查股",
    "政策研究室", "审批服务股", "执法大队", "后勤服务中心", "宣传股",
)  # fmt: skip
_FUNCTIONS = (
    "贯彻执行国家和省市有关方针政策和法律法规，拟订本行业发展规划并组织实施",
    "负责本行业统计、信息发布和宣传工作",
    "承担本系统财务、资产管理和内部审计工作",
    "负责本领域安全生产和应急管理的监督指导",
    "组织实施本行业的行政许可、行政检查和行政处罚",
    "指导基层站所业务工作，组织开展业务培训",
    "承办县委、县政府交办的其他事项",
    "负责本系统重点项目的规划、建设和监督管理",
)
_PROJECTS = (
    "信息化运行维护", "业务培训", "基层站所建设", "专项整治行动", "宣传教育活动", "设备购置",
    "办公用房维修改造", "政策性补助发放", "监测站点运行", "档案数字化", "应急物资储备", "志愿服务活动",
)  # fmt: skip
_SOURCES_EXTRA = ("政府性基金", "纳入专户管理的非税收入", "其他")

# (name, unit, nature, typical target); nature "定性" uses target/actual texts below.
_QUANT: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "数量指标": (
        ("开展业务培训", "人次", "≥", "int"), ("组织专项检查", "次", "≥", "int"),
        ("发布政务信息", "篇", "≥", "int"), ("举办宣传活动", "场", "≥", "int"),
        ("覆盖乡镇（街道）", "个", "=", "int"), ("维修改造设施", "处", "≥", "int"),
        ("新增服务对象", "户", "≥", "int"),
    ),
    "质量指标": (
        ("项目验收合格率", "%", "≥", "pct"), ("资料归档完整率", "%", "≥", "pct"),
        ("设备完好率", "%", "≥", "pct"), ("问题整改率", "%", "≥", "pct"),
    ),
    "时效指标": (
        ("任务按期完成率", "%", "≥", "pct"), ("资金拨付及时率", "%", "≥", "pct"),
        ("投诉办结时长", "天", "≤", "int"),
    ),
    "成本指标": (
        ("人均培训成本", "元", "≤", "money"), ("单位面积维修成本", "元", "≤", "money"),
        ("项目成本控制", "万元", "≤", "money"),
    ),
    "社会效益指标": (("政策知晓率", "%", "≥", "pct"), ("群众办事一次办结率", "%", "≥", "pct")),
    "经济效益指标": (("带动就业人数", "人", "≥", "int"),),
    "生态效益指标": (("植被恢复面积", "亩", "≥", "int"),),
    "可持续影响指标": (("长效管理制度数量", "项", "≥", "int"),),
    "服务对象满意度指标": (("服务对象满意度", "%", "≥", "pct"), ("群众满意度", "%", "≥", "pct")),
}  # fmt: skip
_QUAL: dict[str, tuple[tuple[str, str, str], ...]] = {
    "质量指标": (("工作质量", "符合规范要求", "符合规范要求"),),
    "时效指标": (("任务完成及时性", "按时完成", "按时完成"),),
    "经济效益指标": (("促进相关产业发展", "有所促进", "有所促进"),),
    "社会效益指标": (
        ("群众办事便利程度", "明显提升", "有所提升"),
        ("社会公众认可度", "较高", "较高"),
    ),
    "生态效益指标": (("生态环境改善", "有所改善", "有所改善"),),
    "可持续影响指标": (("长效机制建设", "持续发挥作用", "基本建立"),),
    "数量指标": (("年度重点任务", "全面完成", "基本完成"),),
}
_REASONS = (
    "受年度工作安排调整影响，部分任务推迟实施",
    "基层人员变动较大，工作衔接不够顺畅",
    "项目实施周期较长，部分工作跨年度完成",
    "前期调研不够充分，指标设定与实际存在差距",
    "资金到位时间较晚，影响了工作进度",
)
_IMPROVE = (
    "加强统筹调度，按月跟踪任务进度",
    "完善内部管理制度，落实岗位责任",
    "科学合理设定绩效目标，加强事前论证",
    "加快资金拨付进度，提高资金使用效率",
)
_EVIDENCE = (
    "全年围绕年度重点任务，细化工作方案，明确责任分工，按月调度推进。",
    "建立工作台账，逐项对照目标任务，确保各项工作落实到位。",
    "通过集中培训、现场指导等方式提升业务能力，参训人员普遍反映效果良好。",
    "配合审计和财政部门开展监督检查，对发现的问题逐项整改并建立长效机制。",
    "依托信息化平台实现数据共享，办事环节进一步压减，群众办事更加便捷。",
    "严格执行政府采购和合同管理制度，项目资金按照进度拨付，账务处理规范。",
    "组织第三方开展满意度调查，收回有效问卷若干份，群众对服务总体满意。",
    "加强与乡镇（街道）的协调配合，形成上下联动、齐抓共管的工作格局。",
)


# --------------------------------------------------------------------------- numbers


def cents(n: int) -> Decimal:
    """Whole cents as an amount written with 2 decimals: 1234 → 12.34, 1200 → 12.00."""
    sign = "-" if n < 0 else ""
    q, r = divmod(abs(n), 100)
    return Decimal(f"{sign}{q}.{r:02d}")


def _halves(n: int) -> Decimal:
    """Half points as a weight written as people do: 20 → 10, 21 → 10.5."""
    return Decimal(n // 2) if n % 2 == 0 else Decimal(f"{n // 2}.5")


def _split(rng: random.Random, total: int, parts: int, minimum: int = 0) -> list[int]:
    """``total`` cut into ``parts`` integers, each ≥ ``minimum`` (fewer parts when it cannot)."""
    parts = max(1, min(parts, total // minimum if minimum else parts))
    spare = total - parts * minimum
    cuts = sorted(rng.randint(0, spare) for _ in range(parts - 1))
    bounds = [0, *cuts, spare]
    return [minimum + bounds[i + 1] - bounds[i] for i in range(parts)]


@dataclass(frozen=True)
class _Row:
    initial: int
    annual: int
    executed: int

    def __add__(self, other: _Row) -> _Row:
        return _Row(self.initial + other.initial, self.annual + other.annual, self.executed + other.executed)

    def funds(self) -> Funds:
        return Funds(initial=cents(self.initial), annual=cents(self.annual), executed=cents(self.executed))


def _leaf(rng: random.Random, annual: int, low_rate: bool) -> _Row:
    """One leaf row: executed ≤ annual (a rate between 80% and 100%, 100% a third of the time)."""
    if rng.random() < 0.35 and not low_rate:
        executed = annual
    else:
        lo = 0.80 if low_rate else 0.92
        executed = int(annual * rng.uniform(lo, 1.0))
    initial = annual if rng.random() < 0.4 else int(annual * rng.uniform(0.55, 1.0))
    return _Row(initial, annual, executed)


# --------------------------------------------------------------------------- money


def _budget(rng: random.Random) -> Budget:
    scale = rng.choice((5_000, 20_000, 80_000, 300_000, 1_500_000))  # cents of 万元: 50万 … 1.5亿
    low_rate = rng.random() < 0.15
    personnel = _leaf(rng, rng.randint(scale, 4 * scale), low_rate)
    public = _leaf(rng, rng.randint(scale // 10, scale), low_rate)
    n_projects = rng.choice((1, 1, 2, 2, 3, 4))
    names = rng.sample(_PROJECTS, n_projects)
    projects = [_leaf(rng, rng.randint(scale // 5, 3 * scale), low_rate) for _ in names]
    basic = personnel + public
    project = projects[0]
    for p in projects[1:]:
        project = project + p
    total = basic + project

    # By source: the other sources take a part of each column; 一般公共预算 the rest. Their slack
    # (annual − executed) is drawn inside the total's slack so no source row executes above budget.
    by_source: dict[str, Funds] = {}
    extra = [s for s in _SOURCES_EXTRA if rng.random() < 0.25]
    rest = total
    slack_left = total.annual - total.executed
    for source in extra:
        annual = rng.randint(0, total.annual // 6)
        slack = min(annual, rng.randint(0, slack_left // 2)) if slack_left else 0
        slack_left -= slack
        initial = rng.randint(0, total.initial // 6)
        row = _Row(initial, annual, annual - slack)
        rest = _Row(rest.initial - row.initial, rest.annual - row.annual, rest.executed - row.executed)
        by_source[source] = row.funds()
    by_source = {"一般公共预算": rest.funds(), **by_source}

    rate = Decimal(total.executed) / Decimal(total.annual) * 100 if total.annual else Decimal(100)
    execution_note = ""
    if rate < 90:
        execution_note = rng.choice(
            (
                "部分项目因实施进度滞后，资金未能在年内全部支付，已结转下年继续使用。",
                "受政策调整影响，部分专项资金年底方才下达，未能形成支出。",
            )
        )
    adjustment_note = ""
    if total.initial != total.annual:
        adjustment_note = rng.choice(
            (
                "年中追加上级专项资金及人员经费，全年预算相应调增。",
                "根据年度重点工作安排，年中追加项目经费。",
            )
        )
    return Budget(
        total=total.funds(),
        by_source=by_source,  # type: ignore[arg-type]  # keys are Source literals by construction
        basic=basic.funds(),
        personnel=personnel.funds(),
        public=public.funds(),
        project=project.funds(),
        projects=[Project(name=n, **p.funds().model_dump()) for n, p in zip(names, projects, strict=True)],
        execution_note=execution_note,
        adjustment_note=adjustment_note,
    )


# --------------------------------------------------------------------------- indicators


def _evidence(rng: random.Random, sentences: int) -> str:
    return "".join(rng.choice(_EVIDENCE) for _ in range(sentences))


def _qualitative(rng: random.Random, group: str, weight_halves: int, evidence: int) -> Indicator | None:
    options = _QUAL.get(group)
    if not options:
        return None
    name, target, achieved = rng.choice(options)
    w = _halves(weight_halves)
    roll = rng.random()
    tier = Tier.MET if roll < 0.75 else Tier.PARTLY if roll < 0.95 else Tier.NOT_MET
    # Scores a person picks: tenths of a point inside the band ([80%, 100%] for MET, [lo, hi) else).
    tenths = weight_halves * 5
    lo, hi = {Tier.MET: (8, 10), Tier.PARTLY: (6, 8), Tier.NOT_MET: (0, 6)}[tier]
    lo_t = -(-tenths * lo // 10)  # ceil
    hi_t = tenths * hi // 10 if tier is Tier.MET else -(-tenths * hi // 10) - 1
    score: Decimal | None = None
    if tier is Tier.MET and rng.random() < 0.5:
        score = None  # full marks by default
    elif lo_t <= hi_t:
        t = rng.randint(lo_t, hi_t)
        score = Decimal(t) / 10 if t % 10 else Decimal(t // 10)
    else:
        tier, score = Tier.MET, None
    full = score is None or score >= w
    return Indicator(
        name=name,
        weight=w,
        nature=Nature.QUALITATIVE,
        target_text=target,
        actual_text=achieved if full else "部分" + achieved,
        tier=tier,
        score=score,
        evidence=_evidence(rng, evidence),
        deviation_reason="" if full else rng.choice(_REASONS),
        improvement="" if full else rng.choice(_IMPROVE),
    )


def _quantitative(rng: random.Random, group: str, weight_halves: int, evidence: int) -> Indicator:
    options = _QUANT.get(group) or _QUANT["数量指标"]
    name, unit, sign, kind = rng.choice(options)
    nature = Nature.parse(sign)
    met = rng.random() < 0.75
    if kind == "pct":
        target = (
            Decimal(rng.choice((85, 90, 95, 98, 100)))
            if rng.random() < 0.8
            else cents(rng.randint(8000, 9990))
        )
        if met:
            actual = target if target == 100 else min(Decimal(100), target + Decimal(rng.randint(0, 40)) / 10)
        else:
            actual = (target * Decimal(rng.randint(800, 995)) / 1000).quantize(Decimal("0.01"))
    elif kind == "money":
        target = Decimal(rng.randint(5, 500) * 10)
        over = Decimal(rng.randint(101, 125)) / 100
        actual = (target * (Decimal(rng.randint(80, 100)) / 100 if met else over)).quantize(Decimal(1))
    else:
        target = Decimal(rng.randint(2, 400))
        if nature is Nature.EQUAL:
            actual = target if met else max(Decimal(1), target - rng.randint(1, max(1, int(target) // 5)))
        elif nature is Nature.AT_MOST:
            actual = target - rng.randint(0, int(target) // 3) if met else target + rng.randint(1, 5)
        elif met:
            actual = target + rng.randint(0, int(target) // 5)  # below 130%: needs no explanation
        else:
            actual = (target * Decimal(rng.randint(60, 99)) / 100).quantize(Decimal(1))
    if nature is Nature.AT_LEAST:
        full = actual >= target
    elif nature is Nature.AT_MOST:
        full = actual <= target
    else:
        full = actual == target
    return Indicator(
        name=name,
        weight=_halves(weight_halves),
        nature=nature,
        target=target,
        unit=unit,
        actual=actual,
        evidence=_evidence(rng, evidence),
        deviation_reason="" if full else rng.choice(_REASONS),
        improvement="" if full else rng.choice(_IMPROVE),
    )


_LEVEL1 = (
    ("产出指标", 50, ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", 30, ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", 10, ("服务对象满意度指标",)),
)


def _indicators(rng: random.Random, evidence: int) -> list[Level1]:
    out: list[Level1] = []
    for name, weight, level2 in _LEVEL1:
        n_groups = rng.randint(1, len(level2)) if len(level2) > 1 else 1
        group_names = sorted(rng.sample(level2, n_groups), key=level2.index)
        if name == "效益指标" and "社会效益指标" not in group_names:
            group_names[0] = "社会效益指标"  # every unit reports some social benefit
        groups: list[Level2] = []
        for g_name, g_halves in zip(group_names, _split(rng, weight * 2, n_groups, minimum=4), strict=False):
            items: list[Indicator] = []
            used: set[str] = set()
            for halves in _split(rng, g_halves, rng.randint(1, 3), minimum=4):
                ind: Indicator | None = None
                if rng.random() < 0.35:
                    ind = _qualitative(rng, g_name, halves, evidence)
                if ind is None:
                    ind = _quantitative(rng, g_name, halves, evidence)
                if ind.name in used:  # the same name twice in a group would read as a repeated figure
                    ind = ind.model_copy(update={"name": f"{ind.name}（{len(used) + 1}）"})
                used.add(ind.name)
                items.append(ind)
            explicit = rng.random() < 0.5
            groups.append(
                Level2(name=g_name, weight=_halves(g_halves) if explicit else None, indicators=items)
            )
        out.append(Level1(name=name, weight=Decimal(weight), groups=groups))
    return out


# --------------------------------------------------------------------------- the unit


def _basic_data(rng: random.Random) -> list[BasicLine]:
    lines = []
    for name, category in (
        ("公务用车购置及运行维护费", "三公经费"),
        ("公务接待费", "三公经费"),
        ("办公费", "公用经费"),
        ("差旅费", "公用经费"),
    ):
        if rng.random() < 0.6:
            prev = rng.randint(100, 50_000)
            budget = rng.randint(prev // 2, prev * 2)
            final = rng.randint(budget // 2, budget)
            lines.append(BasicLine(name=name, category=category, previous=cents(prev), budget=cents(budget), final=cents(final)))  # fmt: skip
    return lines


def random_evaluation(rng: random.Random, *, index: int = 0, evidence_sentences: int = 0) -> Evaluation:
    """One clean evaluation for mof-2020. ``index`` makes unit names distinct within a batch;
    ``evidence_sentences`` > 0 adds that many sentences of 完成情况说明 to every indicator (long reports)."""
    place = rng.choice(_PLACES)
    body = rng.choice(_BODIES)
    name = f"{place}{body}" if index == 0 else f"{place}{body}{_ordinal(index)}"
    year = rng.randint(2019, 2025)
    quota = rng.randint(8, 300)
    unit = Unit(
        name=name,
        year=year,
        level="区县级",
        functions=rng.sample(_FUNCTIONS, rng.randint(2, 4)),
        internal_bodies=rng.sample(_INTERNAL, rng.randint(3, 6)),
        budget_units=[f"{name}本级"],
        staff_quota=quota,
        staff_actual=rng.randint(max(1, quota * 3 // 4), quota),
    )
    goals = Goals(
        expected=f"围绕{year}年度重点工作，保障机构正常运转，完成各项业务任务，提升服务水平。",
        achieved="年度各项重点任务基本完成，机构运转正常，服务对象总体满意。",
    )
    narrative = Narrative(
        overview=f"{year}年，{name}认真贯彻落实预算绩效管理要求，加强预算执行监控，推动各项工作有序开展。",
        problems=rng.choice(
            (
                "一是绩效目标设置还不够细化，部分指标可衡量性不强；二是预算执行进度前松后紧。",
                "部分项目前期论证不够充分，绩效指标与实际工作衔接不够紧密。",
            )
        ),
        measures=rng.choice(
            (
                "一是科学设定绩效目标，提高指标的可衡量性；二是加强预算执行监控，均衡支出进度。",
                "加强绩效管理培训，严格落实绩效运行监控，提高资金使用效益。",
            )
        ),
        results_use="自评结果将作为以后年度预算安排的重要参考，并按规定在门户网站公开。",
    )
    return Evaluation(
        framework="mof-2020",
        amount_unit="万元",
        unit=unit,
        budget=_budget(rng),
        goals=goals,
        indicators=_indicators(rng, evidence_sentences),
        basic_data=_basic_data(rng),
        narrative=narrative,
    )


def _ordinal(index: int) -> str:
    """A suffix that keeps names unique in a batch without a digit a reviewer could read as a figure:
    the index written with the ten heavenly stems as digits (1 → 乙, 12 → 乙丙)."""
    stems = "甲乙丙丁戊己庚辛壬癸"
    return "（" + "".join(stems[int(d)] for d in str(index)) + "）"


def random_evaluations(seed: int, n: int, *, evidence_sentences: int = 0) -> list[Evaluation]:
    """``n`` evaluations from one seed: the same seed always gives the same list."""
    rng = random.Random(seed)
    return [random_evaluation(rng, index=i, evidence_sentences=evidence_sentences) for i in range(n)]
