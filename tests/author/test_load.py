"""Bad input to the YAML loader: every problem is a finding with file:line:column and a hint, never a traceback."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.author.load import Loaded, load_evaluation, load_yaml_evaluation
from jixiao.core.findings import Finding

HEAD = "unit:\n  name: 某局\n  year: 2024\n"


def only(loaded: Loaded) -> Finding:
    assert loaded.evaluation is None
    assert len(loaded.findings) == 1, [f.render() for f in loaded.findings]
    return loaded.findings[0]


def test_good_input_keeps_decimals_as_written() -> None:
    loaded = load_yaml_evaluation(
        HEAD + "budget:\n  total: {initial: 279.10, annual: '1,234.50', executed: 12}\n", "x.yaml"
    )
    assert loaded.findings == [] and loaded.evaluation is not None
    total = loaded.evaluation.budget.total
    assert (
        str(total.initial) == "279.10" and total.annual == Decimal("1234.50") and str(total.executed) == "12"
    )


def test_malformed_yaml_gives_line_and_column() -> None:
    f = only(load_yaml_evaluation("unit:\n  name: 某局\n   year: 2024\n", "x.yaml"))
    assert f.code == "I601"
    assert (f.location.path, f.location.line, f.location.column) == ("x.yaml", 3, 8)
    assert str(f.location) == "x.yaml:3:8"
    assert "缩进" in f.message and f.excerpt == "year: 2024"


def test_tab_indentation_is_explained() -> None:
    f = only(load_yaml_evaluation("unit:\n\tname: 某局\n", "x.yaml"))
    assert f.code == "I601" and f.location.line == 2 and "制表符" in f.message


def test_unclosed_brace() -> None:
    f = only(load_yaml_evaluation(HEAD + "budget:\n  total: {annual: 1\n", "x.yaml"))
    assert f.code == "I601" and f.location.line is not None and f.location.line >= 5


def test_duplicate_key_is_a_syntax_error() -> None:
    f = only(load_yaml_evaluation("unit:\n  name: 甲\n  name: 乙\n  year: 2024\n", "x.yaml"))
    assert f.code == "I601" and f.location.line == 3


@pytest.mark.parametrize(
    ("text", "key", "suggestion", "line"),
    [
        (HEAD + "budget:\n  total: {anual: 775.18}\n", "anual", "annual", 5),
        (HEAD + "budgte: {}\n", "budgte", "budget", 4),
        (
            HEAD + "indicators:\n  - name: 产出指标\n    weight: 50\n    groups:\n      - name: 数量\n"
            "        indicators:\n          - {name: a, weight: 5, targte: 3}\n",
            "targte",
            "target",
            10,
        ),
    ],
)
def test_unknown_key_names_the_closest_valid_key(text: str, key: str, suggestion: str, line: int) -> None:
    f = only(load_yaml_evaluation(text, "x.yaml"))
    assert f.code == "I602" and f.values["key"] == key
    assert f"`{suggestion}`" in f.message
    assert f.location.line == line


def test_missing_field_gives_its_path_and_meaning() -> None:
    text = (
        HEAD
        + "indicators:\n  - name: 产出指标\n    weight: 50\n    groups:\n      - name: 数量\n        indicators:\n          - name: a\n            nature: 定性\n"
    )
    f = only(load_yaml_evaluation(text, "x.yaml"))
    assert f.code == "I603"
    assert f.values["path"] == "indicators.0.groups.0.indicators.0.weight"
    assert "`weight`" in f.message and "分值" in f.message
    assert f.location.line == 10  # the indicator that lacks it


def test_missing_unit_at_top_level() -> None:
    f = only(load_yaml_evaluation("budget: {}\n", "x.yaml"))
    assert f.code == "I603" and f.values["path"] == "unit" and "顶层" in f.message


@pytest.mark.parametrize("bad", ["七百万", "775.18万元", "约300", ".inf", "true"])
def test_non_numeric_amount_says_where_and_what(bad: str) -> None:
    f = only(load_yaml_evaluation(HEAD + f"budget:\n  total: {{annual: {bad}, executed: 1}}\n", "x.yaml"))
    assert f.code == "I604"
    assert f.values["path"] == "budget.total.annual"
    assert (f.location.line, f.location.column) == (5, 19)
    assert "budget.total.annual" in f.message


def test_unknown_source_points_at_the_key_with_the_choices() -> None:
    f = only(load_yaml_evaluation(HEAD + "budget:\n  by_source:\n    财政拨款: {annual: 1}\n", "x.yaml"))
    assert f.code == "I604" and f.values["path"] == "budget.by_source.财政拨款"
    assert f.location.line == 6 and "一般公共预算" in f.message and "Input should" not in f.message


def test_bad_nature_and_year_messages_are_chinese() -> None:
    f = only(load_yaml_evaluation("unit:\n  name: 某局\n  year: 二〇二四\n", "x.yaml"))
    assert f.code == "I604" and "整数" in f.message and "Input" not in f.message
    text = (
        HEAD
        + "indicators:\n  - name: 产出指标\n    weight: 50\n    groups:\n      - name: 数量\n        indicators:\n          - {name: a, weight: 5, nature: 大于}\n"
    )
    f = only(load_yaml_evaluation(text, "x.yaml"))
    assert f.code == "I604" and "≥" in f.message and f.location.line == 10


def test_top_level_not_a_mapping() -> None:
    for text in ("", "- a\n- b\n", "just text\n"):
        f = only(load_yaml_evaluation(text, "x.yaml"))
        assert f.code == "I601" and f.location.line == 1


def test_missing_file_and_undecodable_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert only(load_evaluation(tmp_path / "none.yaml")).code == "I601"
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(HEAD.encode("gb18030"))
    loaded = load_evaluation(gbk)
    assert loaded.evaluation is not None and loaded.evaluation.unit.name == "某局"
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00\x81\x30\xff" * 3)
    assert load_evaluation(bad).evaluation is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("unit:name年 -{}[]\n\t'\"#&*!|>%@`0123.,预算 ")), max_size=80))
def test_arbitrary_text_never_raises(text: str) -> None:
    loaded = load_yaml_evaluation(text, "x.yaml")
    # Either a model or at least one finding saying why not.
    assert loaded.evaluation is not None or loaded.findings
    for f in loaded.findings:
        assert f.location.path == "x.yaml" and f.message
