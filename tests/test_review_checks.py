"""Document checks as machinery: clean reports in several provincial styles give no finding; rounding
never raises a sum or share finding (property tests); the checks read an edited claim list anew.

Each rule's own cases (a broken variant and its clean original, with the expected finding) live in
tests/rules/<CODE>.yaml and run through tests/rules/test_cases.py."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.findings import Finding, Severity
from jixiao.review.pipeline import check_file
from jixiao.rulesets import every_rule as all_rules

FIXTURES = Path(__file__).parent / "fixtures" / "review"
CLEAN = sorted(FIXTURES.glob("*_clean.txt"))


def _codes() -> set[str]:
    """The codes of the money, scores and consistency catalogs (this module's rules), each with a registered document check."""
    from importlib import resources

    from ruamel.yaml import YAML

    catalog: dict[str, object] = {}
    for name in ("money.yaml", "scores.yaml", "consistency.yaml"):
        catalog |= YAML(typ="safe").load(
            (resources.files("jixiao.core.rules") / name).read_text(encoding="utf-8")
        )
    return {r.code for r in all_rules() if r.code in catalog and "document" in r.checks}


MINE = _codes()


def review(tmp_path: Path, text: str, name: str = "r.txt") -> list[Finding]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [f for f in check_file(path).findings if f.code in MINE]


def test_rules_registered() -> None:
    assert {
        "B151",
        "B152",
        "B153",
        "B154",
        "B155",
        "Q401",
        "Q402",
        "S251",
        "S252",
        "S253",
        "S254",
        "S255",
        "S256",
        "S257",
        "S258",
        "S259",
        "S260",
    } <= MINE


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_clean_reports_have_no_finding(path: Path) -> None:
    report = check_file(path)
    mine = [f.render() for f in report.findings if f.code in MINE]
    assert mine == []
    # The checks had something to check: the report's figures were read as claims.
    assert report.context is not None and len(report.context.claims) >= 5


def test_at_least_four_provinces() -> None:
    assert len({p.stem.split("_")[0] for p in CLEAN}) >= 4


def test_finding_carries_values_and_related(tmp_path: Path) -> None:
    text = (FIXTURES / "hunan_dept_clean.txt").read_text(encoding="utf-8")
    (f,) = review(tmp_path, text.replace("基本支出年初预算302.40万元", "基本支出年初预算312.40万元"))
    assert f.severity is Severity.ERROR
    assert f.values["stated"] == "512.40" and f.values["recomputed"] == "522.40"
    assert f.values["parts"] == "312.40 + 210.00"
    assert f.values["stated_interval"] == "[512.395, 512.405]"
    assert [loc.line for _, loc in f.related] == [13, 15]
    assert "【512.40万元】" in f.excerpt


# --- property tests ---------------------------------------------------------------------------

NAMES = ["办公费", "印刷费", "水电费", "差旅费", "会议费"]


def _render(cents: int, decimals: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


parts_st = st.lists(st.integers(min_value=1_00, max_value=5_000_00), min_size=2, max_size=5)
decimals_st = st.lists(st.integers(min_value=0, max_value=2), min_size=6, max_size=6)


def _sum_sentence(parts: list[Decimal], total: Decimal) -> str:
    listed = "，".join(f"{NAMES[i]}{p}万元" for i, p in enumerate(parts))
    return f"本年商品和服务支出{total}万元，其中：{listed}。\n"


@settings(max_examples=60, deadline=None)
@given(
    parts=parts_st,
    decimals=decimals_st,
    bump=st.integers(min_value=7, max_value=500),
    which=st.integers(0, 4),
)
def test_property_sums(
    tmp_path_factory: pytest.TempPathFactory, parts: list[int], decimals: list[int], bump: int, which: int
) -> None:
    tmp = tmp_path_factory.mktemp("sum")
    total = _render(sum(parts), decimals[0])
    shown = [_render(p, decimals[i + 1]) for i, p in enumerate(parts)]
    assert review(tmp, _sum_sentence(shown, total)) == []
    # One part off by more than every rounding interval together (at most 6 × 0.5): exactly one finding.
    k = which % len(shown)
    shown[k] = shown[k] + bump
    found = review(tmp, _sum_sentence(shown, total))
    assert [f.code for f in found] == ["B152"]


@settings(max_examples=60, deadline=None)
@given(
    part=st.integers(min_value=100_00, max_value=50_000_00),
    rest=st.integers(min_value=100_00, max_value=50_000_00),
    decimals=decimals_st,
    shift=st.integers(min_value=5, max_value=40),
)
def test_property_shares(
    tmp_path_factory: pytest.TempPathFactory, part: int, rest: int, decimals: list[int], shift: int
) -> None:
    tmp = tmp_path_factory.mktemp("share")
    whole = part + rest
    share = (Decimal(part) / Decimal(whole) * 100).quantize(
        Decimal(1).scaleb(-decimals[0]), rounding=ROUND_HALF_UP
    )
    w, p = _render(whole, decimals[1]), _render(part, decimals[2])

    def text(s: Decimal) -> str:
        return f"基本支出全年预算数{w}万元，实际支出{w}万元。人员经费支出{p}万元，占基本支出的{s}%。\n"

    assert review(tmp, text(share)) == []
    # Amounts ≥ 100 written to whole 万元 move the quotient by under 1 point; 5 points is always wrong.
    moved = share + shift if share + shift <= 100 else share - shift
    found = review(tmp, text(moved))
    assert [f.code for f in found] == ["B153"]


# --- the checks share what they derive ----------------------------------------------------------


def test_checks_read_an_edited_claim_list_anew() -> None:
    """The checks share what they derive from one claim list; a list edited in place is read again."""
    from jixiao.core.rules.registry import run_checks
    from jixiao.model.frameworks import load_framework
    from jixiao.review.claims.collect import extract_claims
    from jixiao.review.context import ReviewContext
    from jixiao.review.read import document_from_text

    text = (FIXTURES / "hunan_dept_clean.txt").read_text(encoding="utf-8")
    broken = text.replace("基本支出年初预算302.40万元", "基本支出年初预算312.40万元")
    clean_doc = document_from_text(text, path="a.txt", format="txt")
    broken_doc = document_from_text(broken, path="a.txt", format="txt")
    ctx = ReviewContext(document=clean_doc, framework=load_framework("mof-2020"))
    ctx.claims = extract_claims(clean_doc)
    assert not [f for f in run_checks("document", ctx) if f.code == "B151"]
    # The same list object, as long as before, holding other claims: the B151 error must now be seen.
    broken_claims = extract_claims(broken_doc)
    assert len(broken_claims) == len(ctx.claims)
    ctx.claims[:] = broken_claims
    assert [f.code for f in run_checks("document", ctx) if f.code == "B151"] == ["B151"]
    ctx.claims[:] = extract_claims(clean_doc)
    assert not [f for f in run_checks("document", ctx) if f.code == "B151"]
