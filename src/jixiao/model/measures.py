"""Figures computed from the money block and 基础数据表 (财预〔2013〕53号 common indicators, domain.md §3).

Each measure returns a percentage as a Decimal, or None when an input is missing or a divisor is zero,
so the caller can say which input is missing instead of scoring on a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from jixiao.core.decimals import percent
from jixiao.model.evaluation import Evaluation, Funds
from jixiao.model.money import money_view

__all__ = ["MEASURES", "compute", "execution_rate", "percent"]


def execution_rate(funds: Funds | None) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数 × 100."""
    if funds is None:
        return None
    return percent(funds.executed, funds.annual)


def _basic_sum(ev: Evaluation, category: str, column: str) -> Decimal | None:
    values = [getattr(line, column) for line in ev.basic_data if line.category == category]
    if not values or any(v is None for v in values):
        return None
    return sum(values, Decimal(0))


def staff_control(ev: Evaluation) -> Decimal | None:
    q, a = ev.unit.staff_quota, ev.unit.staff_actual
    return None if q is None or a is None else percent(Decimal(a), Decimal(q))


def three_public_change(ev: Evaluation) -> Decimal | None:
    now, before = _basic_sum(ev, "三公经费", "final"), _basic_sum(ev, "三公经费", "previous")
    return None if now is None or before is None else percent(now - before, before)


def key_spending(ev: Evaluation) -> Decimal | None:
    projects = ev.budget.projects
    if not projects or any(p.executed is None for p in projects):
        return None
    key = sum((p.executed for p in projects if p.key and p.executed is not None), Decimal(0))
    total = sum((p.executed for p in projects if p.executed is not None), Decimal(0))
    return percent(key, total)


def _total(ev: Evaluation) -> Funds:
    """The 年度资金总额 as scored and printed (typed, or reconciled with its parts: see jixiao.model.money)."""
    row = money_view(ev).rows["total"]
    return Funds(initial=row.initial, annual=row.annual, executed=row.executed)


def completion(ev: Evaluation) -> Decimal | None:
    return execution_rate(_total(ev))


def adjustment(ev: Evaluation) -> Decimal | None:
    t = _total(ev)
    return None if t.annual is None or t.initial is None else percent(t.annual - t.initial, t.initial)


def carry_over(ev: Evaluation) -> Decimal | None:
    t = _total(ev)
    return None if t.annual is None or t.executed is None else percent(t.annual - t.executed, t.annual)


def public_control(ev: Evaluation) -> Decimal | None:
    final, budget = _basic_sum(ev, "公用经费", "final"), _basic_sum(ev, "公用经费", "budget")
    if final is None or budget is None:
        public = ev.budget.public
        return execution_rate(public)
    return percent(final, budget)


def three_public_control(ev: Evaluation) -> Decimal | None:
    return percent(_basic_sum(ev, "三公经费", "final"), _basic_sum(ev, "三公经费", "budget"))


def procurement(ev: Evaluation) -> Decimal | None:
    return percent(_basic_sum(ev, "政府采购", "final"), _basic_sum(ev, "政府采购", "budget"))


MEASURES: dict[str, tuple[Callable[[Evaluation], Decimal | None], str]] = {
    "在职人员控制率": (staff_control, "实有人数 / 编制数 × 100%"),
    "三公经费变动率": (three_public_change, "（本年三公经费决算 − 上年决算）/ 上年决算 × 100%"),
    "重点支出安排率": (key_spending, "重点项目支出 / 项目总支出 × 100%"),
    "预算完成率": (completion, "全年执行数 / 全年预算数 × 100%"),
    "预算调整率": (adjustment, "（全年预算数 − 年初预算数）/ 年初预算数 × 100%"),
    "结转结余率": (carry_over, "（全年预算数 − 全年执行数）/ 全年预算数 × 100%"),
    "公用经费控制率": (public_control, "公用经费本年决算 / 本年预算 × 100%"),
    "三公经费控制率": (three_public_control, "三公经费本年决算 / 本年预算 × 100%"),
    "政府采购执行率": (procurement, "政府采购本年实际 / 采购预算 × 100%"),
}


def compute(name: str, ev: Evaluation) -> Decimal | None:
    entry = MEASURES.get(name)
    return entry[0](ev) if entry else None
