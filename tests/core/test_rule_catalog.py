"""The rule catalog is complete: docs in six sections, unique kebab-case slugs, checks bound to real codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.core.rules import registry
from jixiao.core.rules.registry import DOC_SECTIONS, checks_for, get_rule
from jixiao.core.yamldata import safe_yaml
from jixiao.rulesets import every_rule as all_rules

RULES = all_rules()
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CODE = re.compile(r"^[BSTQRI][0-9]{3}$")


def test_catalog_is_not_empty() -> None:
    codes = {r.code for r in RULES}
    assert {"B101", "S201", "I601"} <= codes


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_has_six_doc_sections(rule) -> None:  # type: ignore[no-untyped-def]
    assert CODE.match(rule.code), rule.code
    assert rule.name.strip()
    for section in DOC_SECTIONS:
        assert rule.doc.get(section, "").strip(), f"{rule.code}: 缺少“{section}”"
    assert set(rule.doc) <= set(DOC_SECTIONS), f"{rule.code}: 多余的段落 {set(rule.doc) - set(DOC_SECTIONS)}"


def test_slugs_unique_and_kebab_case() -> None:
    slugs = [r.slug for r in RULES]
    assert len(slugs) == len(set(slugs))
    bad = [s for s in slugs if not SLUG.match(s)]
    assert bad == []


def test_lookup_by_code_and_slug() -> None:
    for r in RULES:
        assert get_rule(r.code) is r and get_rule(r.slug) is r


def test_every_registered_check_has_a_catalog_rule() -> None:
    catalog = {r.code for r in RULES}
    for target in ("model", "document"):
        for r, fn in checks_for(target):
            assert r.code in catalog, f"{fn.__name__} registered for unknown code {r.code}"


def test_every_checkable_rule_has_a_check() -> None:
    """Reading (R) and input (I) rules are emitted by the loaders; every other live rule needs a check."""
    missing = [
        r.code
        for r in RULES
        if r.code[0] not in "IR"
        and not r.retired
        and not any(r.checks.get(t) for t in ("model", "document", "bundle"))
    ]
    assert missing == []


def test_a_check_registered_later_is_run() -> None:
    # checks_for keeps its answer between files of a batch; registering a check must refresh it.
    from jixiao.core.rules import registry

    before = checks_for("document")
    code = before[0][0].code

    def extra(ctx: object) -> list[object]:
        return []

    registry.check(code, target="document")(extra)
    try:
        assert any(fn is extra for _, fn in checks_for("document"))
        assert len(checks_for("document")) == len(before) + 1
    finally:
        registry.rule(code).checks["document"].remove(extra)
        registry._CHECKS_FOR.clear()
    assert not any(fn is extra for _, fn in checks_for("document"))


def test_docs_read_apart_are_the_docs_read_whole() -> None:
    # The registry reads each catalogue without its doc blocks and a rule's block when first asked for
    # (start-up): every catalogue must split so, into the same rules and docs as one whole read.
    folder = Path(registry.__file__).parent
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        whole = safe_yaml().load(text)
        apart = registry._docs_apart(text)
        assert apart is not None, f"{path.name}: not laid out as the catalogues are"
        heads = safe_yaml().load(apart[0])
        assert set(heads) == set(whole)
        for code, meta in whole.items():
            doc = registry._Doc(apart[1][code])
            assert dict(doc) == {k: str(v) for k, v in meta.pop("doc").items()}, code
            assert heads[code] == meta, code
