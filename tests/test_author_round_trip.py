"""Issue 10: what a new user met on the author path — extract's YAML and the round trip through a report.

Item 1: the YAML a person edits never aliases values (no ``&id001`` … ``*id001``).
Item 2: placeholders such as "偏差原因未填写" are never read back as content, and a stated figure that
differs from its recomputation survives the round trip (B102 stays B102).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.author.load import load_evaluation
from jixiao.author.pipeline import evaluate
from jixiao.cli import main
from jixiao.convert.extract import extract_yaml
from jixiao.report.yaml_out import dump_evaluation

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SEED = ROOT.parent / "shared" / "seeds" / "000_e908e985cae8175b.txt"
# An anchor or alias as ruamel writes them: "&id001" / "*id001" after a space or at a line start.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][A-Za-z_][\w-]*", re.M)


def _anchors(text: str) -> list[str]:
    plain = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return _ANCHOR.findall("\n".join(plain))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("rendered")
    paths: dict[str, Path] = {}
    for source in EXAMPLES:
        target = out / source.stem
        result = CliRunner().invoke(
            main, ["report", str(source), "-o", str(target), "--format", "md,docx,html"]
        )
        assert result.exit_code in (0, 1), result.output
        for suffix in ("md", "docx", "html"):
            (found,) = target.glob(f"*.{suffix}")
            paths[f"{source.stem}.{suffix}"] = found
    return paths


KEYS = [f"{e.stem}.{s}" for e in EXAMPLES for s in ("md", "docx", "html")]


def test_shared_objects_are_never_aliased() -> None:
    """One Decimal object used for many weights (what extract builds) is written out each time."""
    loaded = load_evaluation(ROOT / "examples" / "yanfeng-media-2024.yaml")
    assert loaded.evaluation is not None
    ev = loaded.evaluation
    ten = Decimal("10")
    for row in ev.iter_indicators():
        row[6].weight = ten
    text = dump_evaluation(ev)
    assert _anchors(text) == [], text


@pytest.mark.parametrize("key", KEYS)
def test_extract_has_no_anchors_and_keeps_total_and_grade(
    key: str, rendered: dict[str, Path], tmp_path: Path
) -> None:
    source = ROOT / "examples" / f"{key.rsplit('.', 1)[0]}.yaml"
    text, _missing = extract_yaml(rendered[key])
    assert _anchors(text) == [], text
    path = tmp_path / "back.yaml"
    path.write_text(text, encoding="utf-8")
    back, orig = evaluate(path).scored, evaluate(source).scored
    assert back is not None and orig is not None
    assert (back.total, back.grade) == (orig.total, orig.grade)


def test_seed_report_extract_has_no_anchors() -> None:
    if not SEED.is_file():
        pytest.skip(f"种子报告不在 {SEED}（需要 ../shared）")
    text, _missing = extract_yaml(SEED)
    assert _anchors(text) == []


# ---------------------------------------------------------------- item 2: placeholders and stated figures


def _codes(path: Path) -> list[str]:
    return sorted(f.code for f in evaluate(path).findings)


@pytest.mark.parametrize("key", [k for k in KEYS if k.startswith("yanfeng")])
def test_round_trip_keeps_the_datas_own_findings(key: str, rendered: dict[str, Path], tmp_path: Path) -> None:
    """B102 (391.39 stated, 391.36 summed) and S204 (no reason) survive report → extract."""
    source = ROOT / "examples" / "yanfeng-media-2024.yaml"
    text, _missing = extract_yaml(rendered[key])
    path = tmp_path / "back.yaml"
    path.write_text(text, encoding="utf-8")
    assert _codes(path) == _codes(source)
    back = load_evaluation(path).evaluation
    assert back is not None and back.budget.total is not None
    assert str(back.budget.total.initial) == "391.39"
    deducted = [row[6] for row in back.iter_indicators() if row[6].name == "开设专题专栏"]
    assert [(i.deviation_reason, i.improvement) for i in deducted] == [("", "")]


@pytest.mark.parametrize("key", [k for k in KEYS if k.startswith("yanfeng")])
def test_report_shows_stated_and_recomputed_figure(key: str, rendered: dict[str, Path]) -> None:
    if key.endswith(".docx"):
        import docx

        text = "\n".join(p.text for p in docx.Document(str(rendered[key])).paragraphs)
    else:
        text = rendered[key].read_text(encoding="utf-8")
    # the sentence in the text, not only the note under the table
    assert re.search(r"年初预算391\.36万元[^。]*填报数391\.39", text), text


@pytest.mark.parametrize(
    "text",
    ["未填写", "未填写。", "偏差原因未填写", " 偏差原因未填写；", "本年度无需要报告的问题。", "—"],
)
def test_placeholders_are_recognised(text: str) -> None:
    from jixiao.report.placeholders import is_placeholder

    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["未填写原因的说明见附件", "资金未到位", "偏差原因：资金未到位"])
def test_content_is_not_a_placeholder(text: str) -> None:
    from jixiao.report.placeholders import is_placeholder

    assert not is_placeholder(text)
