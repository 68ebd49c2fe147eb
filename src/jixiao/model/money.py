"""The money block as reports print it: typed figures reconciled with their parts.

基本支出 = 人员经费 + 日常公用经费, 项目支出 = Σ 项目明细, 年度资金总额 = 基本支出 + 项目支出, column by
column, whenever every part of that column is given. A typed total that agrees with its parts within
rounding (the interval rule, domain.md §8) is kept as typed — it is the more precise figure, the parts
carry the rounding. A typed total that does not agree, or is missing, is replaced by the computed sum;
the rules report the difference as a finding and the 自评表 note names each replaced figure.
By-source rows are kept as typed and never replace the total (units often list only their main source).

Scoring rates the reconciled total, so `jixiao score` and every generated report show the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.decimals import ZERO, agrees, decimals_of, percent
from jixiao.model.evaluation import SOURCES, Evaluation, Funds

COLUMNS = ("initial", "annual", "executed")


def sum_amounts(parts: Iterable[Decimal]) -> Decimal:
    """Sum printed with the largest number of decimals among its parts."""
    items = list(parts)
    total = sum(items, ZERO)
    places = max((decimals_of(p) for p in items), default=0)
    return total.quantize(Decimal(1).scaleb(-places))


@dataclass(frozen=True)
class MoneyRow:
    """One money row as printed: figures after reconciliation, and what was typed."""

    key: str  # "total", "by_source.一般公共预算", "basic", "personnel", "public", "project"
    label: str
    initial: Decimal | None
    annual: Decimal | None
    executed: Decimal | None
    typed: Funds | None
    replaced: tuple[str, ...] = ()  # columns printed as the sum of parts instead of the typed value

    def get(self, column: str) -> Decimal | None:
        value: Decimal | None = getattr(self, column)
        return value

    @property
    def rate(self) -> Decimal | None:
        """执行率 (percent, exact) from the printed figures."""
        return percent(self.executed, self.annual)

    @property
    def empty(self) -> bool:
        return all(self.get(c) is None for c in COLUMNS)

    @property
    def has_money(self) -> bool:
        return any(self.get(c) not in (None, ZERO) for c in COLUMNS)


@dataclass(frozen=True)
class MoneyView:
    rows: dict[str, MoneyRow]
    shares: dict[str, Decimal | None] = field(default_factory=dict)  # personnel/public of 基本支出, percent

    def row(self, key: str) -> MoneyRow | None:
        return self.rows.get(key)


def _part_value(part: MoneyRow | Funds | None, column: str) -> Decimal | None:
    """A part as the user typed it; a computed value only where nothing was typed (a filled-in blank).

    A part that was itself replaced is compared with its parent as typed: replacements must not cascade
    upwards and overwrite a parent that agrees with what the user wrote.
    """
    if part is None:
        return None
    if isinstance(part, MoneyRow) and part.typed is not None:
        typed = getattr(part.typed, column)
        if typed is not None:
            return typed  # type: ignore[no-any-return]
    return getattr(part, column)  # type: ignore[no-any-return]


def _reconciled(key: str, label: str, typed: Funds | None, parts: list[MoneyRow | Funds | None]) -> MoneyRow:
    values: dict[str, Decimal | None] = {}
    replaced: list[str] = []
    for column in COLUMNS:
        stated = getattr(typed, column) if typed is not None else None
        given = [_part_value(p, column) for p in parts]
        if parts and all(v is not None for v in given):
            nums = [v for v in given if v is not None]
            computed = sum_amounts(nums)
            if stated is None or not agrees(stated, nums):
                values[column] = computed
                if stated is not None:
                    replaced.append(column)
                continue
        values[column] = stated
    return MoneyRow(
        key, label, values["initial"], values["annual"], values["executed"], typed, tuple(replaced)
    )


def typed_row(key: str, label: str, funds: Funds | None) -> MoneyRow:
    if funds is None:
        return MoneyRow(key, label, None, None, None, None)
    return MoneyRow(key, label, funds.initial, funds.annual, funds.executed, funds)


def money_view(ev: Evaluation) -> MoneyView:
    """The money block as the report prints it (see the module docstring for the rules)."""
    b = ev.budget
    personnel = typed_row("personnel", "人员经费", b.personnel)
    public = typed_row("public", "日常公用经费", b.public)
    has_detail = b.personnel is not None and b.public is not None
    basic = _reconciled("basic", "基本支出", b.basic, [personnel, public] if has_detail else [])
    # A project list is detail that may be partial (units often list only key projects): a typed
    # 项目支出 is never replaced from it (B102 reports the difference); it only fills a blank.
    project = _reconciled("project", "项目支出", b.project, [] if b.project is not None else list(b.projects))
    nature_given = (b.basic is not None or has_detail) and (b.project is not None or bool(b.projects))
    total = _reconciled("total", "年度资金总额", b.total, [basic, project] if nature_given else [])
    rows: dict[str, MoneyRow] = {"total": total}
    for source in SOURCES:
        if source in b.by_source:
            rows[f"by_source.{source}"] = typed_row(f"by_source.{source}", source, b.by_source[source])
    rows.update(basic=basic, personnel=personnel, public=public, project=project)
    shares = {
        "personnel": percent(personnel.executed, basic.executed),
        "public": percent(public.executed, basic.executed),
    }
    return MoneyView(rows, shares)
