"""The review path on random reports: no false alarms on clean ones, injected errors found.

The harness (``jixiao_dev.harness``) runs here at CI size: 8 random reports (seed 2), each rendered in
all 8 layouts and reviewed clean, and each error kind injected once per report, round-robin over the
layouts (so every kind meets every layout once). At this size every kind must be found at its place and
no clean report may get an error-level finding; docs/accuracy.md has the full run.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from jixiao_dev.harness import KINDS, LAYOUTS, HarnessResult, inject, markdown_to_text, render, run_harness
from jixiao_dev.synth import random_evaluation, random_evaluations

from jixiao.author.load import Loaded
from jixiao.author.pipeline import evaluate_loaded
from jixiao.model.evaluation import Nature, Tier
from jixiao.model.frameworks import load_framework
from jixiao.model.scoring import score

N, SEED = 8, 2


@pytest.fixture(scope="module")
def result() -> HarnessResult:
    return run_harness(N, SEED)


def test_harness_ran_without_crashes(result: HarnessResult) -> None:
    assert result.crashes == []
    assert set(result.clean) == set(LAYOUTS)
    assert all(c.n == N for c in result.clean.values())
    assert all(s.n + s.not_placed == N for s in result.kinds.values())


def test_clean_reports_have_no_error_findings(result: HarnessResult) -> None:
    found = [(layout, code, msg) for layout, c in result.clean.items() for code, msg in c.error_findings]
    assert found == []


@pytest.mark.parametrize("kind", [k for k, spec in KINDS.items() if spec.arithmetic])
def test_arithmetic_errors_always_flagged(result: HarnessResult, kind: str) -> None:
    """Every injected arithmetic error is flagged somewhere at error level."""
    s = result.kinds[kind]
    assert s.n > 0, f"{kind}: no report had a place for this error"
    assert s.flagged == s.n, s.misses


@pytest.mark.parametrize("kind", list(KINDS))
def test_full_detection(result: HarnessResult, kind: str) -> None:
    """Every injected error is found at its place (the finding points at the injected figure or line)."""
    s = result.kinds[kind]
    assert s.n > 0, f"{kind}: no report had a place for this error"
    assert s.detected == s.n, s.misses


# --------------------------------------------------------------------------- the generator


def test_synth_is_seeded() -> None:
    a = random_evaluations(5, 3)
    b = random_evaluations(5, 3)
    assert [e.model_dump() for e in a] == [e.model_dump() for e in b]
    assert a[0].model_dump() != random_evaluations(6, 1)[0].model_dump()


@pytest.mark.parametrize("seed", range(40))
def test_synth_models_are_clean_and_add_up(seed: int) -> None:
    ev = random_evaluation(random.Random(seed), index=seed)
    result = evaluate_loaded(Loaded("synth.yaml", ev, {}, []))
    assert [f.render() for f in result.findings] == []
    b = ev.budget
    for column in ("initial", "annual", "executed"):
        total = getattr(b.total, column)
        assert sum((getattr(f, column) for f in b.by_source.values()), Decimal(0)) == total
        assert getattr(b.basic, column) + getattr(b.project, column) == total
        assert getattr(b.personnel, column) + getattr(b.public, column) == getattr(b.basic, column)
        assert sum((getattr(p, column) for p in b.projects), Decimal(0)) == getattr(b.project, column)
        assert all(str(getattr(f, column)).count(".") <= 1 for f in b.by_source.values())
    fw = load_framework("mof-2020")
    assert [(l1.name, l1.weight) for l1 in ev.indicators] == [(s.name, s.weight) for s in fw.level1]
    for l1 in ev.indicators:
        assert sum((ind.weight for g in l1.groups for ind in g.indicators), Decimal(0)) == l1.weight
        for g in l1.groups:
            if g.weight is not None:
                assert sum((ind.weight for ind in g.indicators), Decimal(0)) == g.weight
    scored = score(ev, fw)
    for item in scored.indicators:
        ind = item.indicator
        if ind.nature is Nature.QUALITATIVE and ind.score is not None:
            assert ind.tier is not None
            low, high = fw.tiers[ind.tier].low * ind.weight, fw.tiers[ind.tier].high * ind.weight
            assert low <= ind.score <= high
            if ind.tier is not Tier.MET:
                assert ind.score < high
        if item.score < item.weight:
            assert ind.deviation_reason and ind.improvement


# --------------------------------------------------------------------------- layouts and injection


def test_markdown_to_text_makes_tab_rows_and_drops_markup() -> None:
    md = "# 标题\n\n## 一、基本情况\n\n正文\\*号\n\n| 项目 | 金额 |\n|---|---|\n| 基本支出 | 1.50 |\n"
    assert markdown_to_text(md) == "标题\n\n一、基本情况\n\n正文*号\n\n项目\t金额\n基本支出\t1.50\n"
    assert "附表" not in markdown_to_text("正文\n\n## 附表1　自评表\n\n| a | b |\n", tables=False)


@pytest.mark.parametrize("kind", list(KINDS))
def test_injection_changes_the_report(kind: str) -> None:
    rng = random.Random(11)
    scored = score(random_evaluation(rng), load_framework("mof-2020"))
    rendered = render(scored, "md-text", rng)
    inj = inject(kind, rendered, scored, rng)
    assert inj is not None
    clean = rendered.document([]).text()
    dirty = rendered.document(list(inj.edits)).text()
    assert clean != dirty
    if inj.new_value is not None and kind not in ("repeat",):
        assert inj.old != inj.new
