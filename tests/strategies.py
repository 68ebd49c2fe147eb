"""Hypothesis strategies for random *valid and clean* evaluations (reused by round-trip tests).

``evaluations()`` draws an Evaluation whose money adds up (by source and by nature), whose weights
close at every level and match the framework, whose qualitative scores lie inside their tier band,
and whose every deduction carries a reason and a measure — so the model checks must find no error.
Amounts, weights and figures are Decimals written with 0–2 decimals, as a person would type them.

    from tests.strategies import evaluations
    @given(evaluations())
    def test_something(ev): ...
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from hypothesis import strategies as st

from jixiao.model.evaluation import SOURCES, Evaluation, Nature, Tier
from jixiao.model.frameworks import Framework, load_framework

# Ordinary CJK text and a little ASCII: no control characters, nothing a workbook cell would reject.
_ALPHABET = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
# A name that is a table's own row label (an indicator called "小计") is read as that row by any reader of
# the 自评表, a person's included: no unit names an indicator so, and the generator does not either.
_ROW_LABELS = ("小计", "合计", "总计", "总分")
_TEXT = st.text(alphabet=_ALPHABET + "ABCxyz0123456789（）、，", min_size=1, max_size=16).filter(
    lambda s: not any(label in s for label in _ROW_LABELS)
)
_UNITS = ("%", "个", "人次", "万元", "篇", "场", "次", "册", "户")


def cents(n: int) -> Decimal:
    """Cents as a Decimal written with 0–2 decimals: 1000 → 10, 1050 → 10.5, 1055 → 10.55."""
    q, r = divmod(n, 100)
    if r == 0:
        return Decimal(q)
    if r % 10 == 0:
        return Decimal(f"{q}.{r // 10}")
    return Decimal(f"{q}.{r:02d}")


@st.composite
def split(draw: st.DrawFn, total: int, min_parts: int = 1, max_parts: int = 4, minimum: int = 1) -> list[int]:
    """``total`` cut into parts, each ≥ ``minimum`` (fewer parts if the total is too small)."""
    n = draw(st.integers(min_parts, max_parts))
    n = max(1, min(n, total // minimum if minimum else n))
    spare = total - n * minimum
    cuts = sorted(draw(st.lists(st.integers(0, spare), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, spare]
    return [minimum + bounds[i + 1] - bounds[i] for i in range(n)]


def _row(initial: int, annual: int, executed: int) -> dict[str, Decimal]:
    return {"initial": cents(initial), "annual": cents(annual), "executed": cents(executed)}


@st.composite
def _money(draw: st.DrawFn) -> dict[str, Any]:
    """By-source rows, totals as their exact sums, and a by-nature split of the same totals."""
    sources = draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3, unique=True))
    rows = {}
    for s in sources:
        annual = draw(st.integers(0, 5_000_000))
        initial = draw(st.integers(0, 5_000_000))
        executed = draw(st.integers(0, annual))
        rows[s] = (initial, annual, executed)
    total = tuple(sum(r[i] for r in rows.values()) for i in range(3))
    basic = tuple(draw(st.integers(0, t)) for t in total)
    project = tuple(t - b for t, b in zip(total, basic, strict=True))
    personnel = tuple(draw(st.integers(0, b)) for b in basic)
    public = tuple(b - p for b, p in zip(basic, personnel, strict=True))
    n_projects = draw(st.integers(0, 3))
    projects = []
    if n_projects:
        cols = [draw(split(p, n_projects, n_projects, minimum=0)) for p in project]
        for k in range(len(cols[0])):
            projects.append(
                {"name": draw(_TEXT), "key": draw(st.booleans()), **_row(cols[0][k], cols[1][k], cols[2][k])}
            )
    by_source = {s: _row(*r) for s, r in rows.items()}
    money: dict[str, Any] = {
        "total": {
            k: sum((f[k] for f in by_source.values()), Decimal(0)) for k in ("initial", "annual", "executed")
        },
        "by_source": by_source,
        "basic": _row(*basic),
        "personnel": _row(*personnel),
        "public": _row(*public),
        "project": _row(*project),
        "projects": projects,
    }
    every = [money["total"], *by_source.values(), money["basic"], money["personnel"], money["public"]]
    every += [money["project"], *projects]
    over = any(f["executed"] > f["annual"] for f in every)
    t = money["total"]
    low = t["annual"] > 0 and t["executed"] * 100 < 90 * t["annual"]
    money["execution_note"] = draw(_TEXT) if over or low else draw(st.sampled_from(["", "执行正常"]))
    money["adjustment_note"] = draw(_TEXT) if t["initial"] != t["annual"] else ""
    return money


def _band_cents(fw: Framework, tier: Tier, weight_cents: int) -> tuple[int, int]:
    """Whole cents inside a tier's band of a weight: [low, high] for the top tier, [low, high) otherwise."""
    band = fw.tiers[tier]
    top = max(b.high for b in fw.tiers.values())
    lo = int((band.low * weight_cents).to_integral_value(rounding=ROUND_CEILING))
    if band.high == top:
        hi = int((band.high * weight_cents).to_integral_value(rounding=ROUND_FLOOR))
    else:
        hi = int((band.high * weight_cents).to_integral_value(rounding=ROUND_CEILING)) - 1
    return lo, hi


@st.composite
def _indicator(draw: st.DrawFn, fw: Framework, weight_cents: int) -> dict[str, Any]:
    weight = cents(weight_cents)
    nature = draw(st.sampled_from(list(Nature)))
    ind: dict[str, Any] = {"name": draw(_TEXT), "weight": weight, "nature": nature.value}
    deducted = False
    if nature is Nature.QUALITATIVE:
        tier = draw(st.sampled_from(list(Tier)))
        lo, hi = _band_cents(fw, tier, weight_cents)
        if lo > hi:  # a band too narrow to hold a whole cent of this weight
            tier, (lo, hi) = Tier.MET, _band_cents(fw, Tier.MET, weight_cents)
        ind["tier"] = tier.value
        ind["target_text"] = draw(_TEXT)
        ind["actual_text"] = draw(_TEXT)
        if draw(st.booleans()):
            s = draw(st.integers(lo, hi))
            ind["score"] = cents(s)
            deducted = s < weight_cents
        else:
            deducted = tier is not Tier.MET
    else:
        low_target = 0 if nature is Nature.AT_MOST else 1
        target = draw(st.integers(low_target, 1_000_000))
        actual = draw(st.one_of(st.just(target), st.integers(0, 2 * target + 100)))
        ind.update(target=cents(target), actual=cents(actual), unit=draw(st.sampled_from(_UNITS)))
        if nature is Nature.AT_LEAST:
            deducted = actual < target
            if actual * 10 >= 13 * target:
                ind["evidence"] = draw(_TEXT)
        elif nature is Nature.AT_MOST:
            deducted = actual > target
        else:
            deducted = actual != target
    if deducted:
        ind["deviation_reason"] = draw(_TEXT)
        ind["improvement"] = draw(_TEXT)
    return ind


@st.composite
def _indicators(draw: st.DrawFn, fw: Framework) -> list[dict[str, Any]]:
    out = []
    for spec in fw.level1:
        total = int(spec.weight * 100)
        groups = []
        for j, g_cents in enumerate(draw(split(total, 1, 3))):
            names = spec.level2 or [f"二级指标{j + 1}"]
            items = [draw(_indicator(fw, c)) for c in draw(split(g_cents, 1, 4))]
            group: dict[str, Any] = {"name": names[j % len(names)], "indicators": items}
            if draw(st.booleans()):
                group["weight"] = cents(g_cents)
            groups.append(group)
        out.append({"name": spec.name, "weight": spec.weight, "groups": groups})
    return out


@st.composite
def evaluation_data(draw: st.DrawFn, framework: str = "mof-2020") -> dict[str, Any]:
    """The plain data (as a loader would hand it over) of a clean evaluation."""
    fw = load_framework(framework)
    quota = draw(st.integers(1, 5000))
    return {
        "framework": framework,
        "amount_unit": draw(st.sampled_from(["万元", "元"])),
        "unit": {
            "name": draw(_TEXT),
            "year": draw(st.integers(2000, 2035)),
            "level": draw(st.sampled_from(["", "区县级", "市级"])),
            "functions": draw(st.lists(_TEXT, max_size=3)),
            "internal_bodies": draw(st.lists(_TEXT, max_size=3)),
            "staff_quota": quota,
            "staff_actual": draw(st.integers(0, quota)),
        },
        "budget": draw(_money()),
        "goals": {"expected": draw(_TEXT), "achieved": draw(_TEXT)},
        "indicators": draw(_indicators(fw)),
        "narrative": {"overview": draw(_TEXT), "problems": draw(_TEXT), "measures": draw(_TEXT)},
    }


def evaluations(framework: str = "mof-2020") -> st.SearchStrategy[Evaluation]:
    """Random clean Evaluations for a framework whose indicators need no measures (e.g. mof-2020)."""
    return evaluation_data(framework).map(Evaluation.model_validate)


def odd_decimals(*, non_negative: bool = False) -> st.SearchStrategy[Decimal]:
    """Any Decimal a user could type that the model accepts: odd exponents, trailing zeros, -0 —
    within dec()'s sane range (no more than 15 integer digits or 12 decimals)."""
    values = st.decimals(allow_nan=False, allow_infinity=False).filter(
        lambda d: not d or -12 <= d.adjusted() <= 15
    )
    return values.map(abs) if non_negative else values
