"""Rule selection and the project file: ruff's rules (most specific selector wins, the command line beats the
file, the nearest project file wins), on the checks that run and on the findings stages emit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from jixiao.cli import main
from jixiao.core.config import RuleSelection, find_config, load_config, parse_selectors, project_config
from jixiao.core.findings import Finding, Location, Severity
from jixiao.rulesets import every_rule

CODES = [r.code for r in every_rule()]
ROOT = Path(__file__).resolve().parents[2]
SEED_EXAMPLE = ROOT / "examples" / "yanfeng-media-2024.yaml"

# A report snippet with a money error (B152, a warning: the total is not named 合计) and a score error
# (S260: 9.5 points for a 90% execution rate on a 10-point indicator).
SNIPPET = (
    "本年商品和服务支出80.00万元，其中：办公费30.00万元，印刷费20.00万元，差旅费35.00万元。\n\n"
    "（一）预算执行率（分值10分，得9.5分）\n\n全年预算数200.00万元，全年执行数180.00万元，预算执行率90%。\n"
)


def on(selection: RuleSelection) -> set[str]:
    return {c for c in CODES if selection.enabled(c)}


# ---- selection -------------------------------------------------------------------------------------


def test_no_selection_is_every_rule() -> None:
    assert on(RuleSelection()) == set(CODES)
    assert RuleSelection().codes() is None and RuleSelection().is_everything


def test_select_and_ignore_by_prefix() -> None:
    chosen = RuleSelection().with_layer(["B"], ["B15"])
    assert on(chosen) == {c for c in CODES if c.startswith("B1") and not c.startswith("B15")}
    assert chosen.codes() == frozenset(on(chosen))


def test_the_more_specific_selector_wins_within_a_layer() -> None:
    assert on(RuleSelection().with_layer(["B151"], ["B"])) == {"B151"}
    assert "B151" not in on(RuleSelection().with_layer(["B"], ["B"]))  # a tie goes to ignore


def test_the_command_line_beats_the_file() -> None:
    file = RuleSelection().with_layer(None, ["B151"])
    assert "B151" in on(file.with_layer(["B"], []))  # selecting again replaces what the file left out
    assert on(file.with_layer(["S"], [])) == {c for c in CODES if c.startswith("S")}
    narrowed = RuleSelection().with_layer(["B"], []).with_layer(None, ["B151"])
    assert on(narrowed) == {c for c in CODES if c.startswith("B") and c != "B151"}


@given(st.lists(st.sampled_from(["B", "B1", "B15", "S", "S25", "T30", "R5", "I60", "Q401"]), max_size=4))
def test_an_ignore_layer_turns_off_exactly_what_it_prefixes(ignore: list[str]) -> None:
    chosen = RuleSelection().with_layer(None, ignore)
    assert on(chosen) == {c for c in CODES if not any(c.startswith(i) for i in ignore)}


def test_selectors_are_split_and_checked() -> None:
    assert parse_selectors(["b151,S25", "t30，Q"]) == (["B151", "S25", "T30", "Q"], [])
    assert parse_selectors(["B151,X9, b999"]) == (["B151"], ["X9", "B999"])
    assert parse_selectors([]) == ([], [])


def test_keep_filters_stage_findings_and_per_file_ignores(tmp_path: Path) -> None:
    def finding(code: str, path: str) -> Finding:
        return Finding(code, Severity.ERROR, "x", Location(path=path))

    drafts = tmp_path / "2023"
    drafts.mkdir()
    chosen = RuleSelection((), (("2023/*.txt", ("B15",)), ("草稿.txt", ("R",))), str(tmp_path))
    found = [
        finding("B152", str(drafts / "a.txt")),  # ignored by the glob relative to the project
        finding("B152", str(tmp_path / "b.txt")),
        finding("R503", "elsewhere/草稿.txt"),  # a bare file name matches anywhere
        finding("I607", str(drafts / "a.txt")),  # configuration errors always show
    ]
    assert [(f.code, Path(f.location.path).name) for f in chosen.keep(found)] == [
        ("B152", "b.txt"),
        ("I607", "a.txt"),
    ]
    assert [f.code for f in RuleSelection().with_layer(None, ["R"]).keep(found)] == ["B152", "B152", "I607"]


# ---- the project file ------------------------------------------------------------------------------


def test_nearest_project_file_wins(tmp_path: Path) -> None:
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (tmp_path / "jixiao.toml").write_text('ignore = ["T"]\n', encoding="utf-8")
    (tmp_path / "a" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n', encoding="utf-8"
    )  # no [tool.jixiao]
    assert find_config(inner) == tmp_path / "jixiao.toml"
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.jixiao]\nignore = ["S"]\n', encoding="utf-8")
    assert find_config(inner) == tmp_path / "a" / "pyproject.toml"
    (tmp_path / "a" / "jixiao.toml").write_text('ignore = ["Q"]\n', encoding="utf-8")
    assert find_config(inner) == tmp_path / "a" / "jixiao.toml"  # jixiao.toml before pyproject.toml
    config = project_config(inner)
    assert not config.findings and on(config.selection) == {c for c in CODES if not c.startswith("Q")}


def test_config_values(tmp_path: Path) -> None:
    lines = ['framework = "mof-2013-dept"', 'select = "B15, S2"', 'ignore = ["b152"]', "[per-file-ignores]"]
    path = tmp_path / "jixiao.toml"
    path.write_text("\n".join([*lines, '"old/*" = ["S"]', ""]), encoding="utf-8")
    config = load_config(path)
    assert config.findings == [] and config.framework == "mof-2013-dept"
    assert on(config.selection) == {c for c in CODES if c.startswith(("B15", "S2")) and c != "B152"}
    assert config.selection.per_file_ignores == (("old/*", ("S",)),)
    assert config.selection.root == str(tmp_path)


def test_a_framework_file_is_relative_to_the_project_file(tmp_path: Path) -> None:
    (tmp_path / "jixiao.toml").write_text('framework = "frameworks/local.yaml"\n', encoding="utf-8")
    inner = tmp_path / "2024"
    inner.mkdir()
    assert project_config(inner).framework == str(tmp_path / "frameworks" / "local.yaml")


def test_config_problems_are_findings_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "jixiao.toml"
    path.write_text('framework = 3\nselect = ["B15"]\nignore = ["S295", "T30"]\n', encoding="utf-8")
    found = load_config(path).findings
    assert [(f.code, f.location.line) for f in found] == [("I607", 1), ("I607", 3)]
    assert all(f.location.path == str(path) for f in found)
    path.write_bytes(b"\xff\xfe select")
    assert [f.code for f in load_config(path).findings] == ["I607"]


# ---- the command line ------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text(SNIPPET, encoding="utf-8")
    return tmp_path


def codes_in(out: str) -> set[str]:
    return {f["code"] for entry in json.loads(out)["files"] for f in entry["findings"]}


def test_check_select_and_ignore(project: Path) -> None:
    assert {"B152", "S260"} <= codes_in(run("check", "r.txt", "--format", "json")[1])
    assert codes_in(run("check", "r.txt", "--format", "json", "--select", "B15")[1]) == {"B152"}
    assert "B152" not in codes_in(
        run("check", "r.txt", "--format", "json", "--ignore", "B,Q", "--ignore", "S")[1]
    )
    code, out, _ = run("check", "r.txt", "--ignore", "B152,S,T")
    assert code == 0 and "未发现问题" in out


def test_check_reads_the_project_file_and_the_flags_win(project: Path) -> None:
    (project / "jixiao.toml").write_text('ignore = ["S26", "T30"]\n', encoding="utf-8")
    assert codes_in(run("check", "r.txt", "--format", "json")[1]) == {"B152"}
    assert "S260" in codes_in(run("check", "r.txt", "--format", "json", "--select", "S260,B")[1])
    (project / "jixiao.toml").write_text('[per-file-ignores]\n"r.txt" = ["B"]\n', encoding="utf-8")
    assert "B152" not in codes_in(run("check", "r.txt", "--format", "json")[1])


def test_reading_findings_are_selected_too(project: Path) -> None:
    (project / "empty.txt").write_text("", encoding="utf-8")
    code, out, _ = run("check", "empty.txt")
    assert code == 2 and "R503" in out
    code, out, _ = run("check", "empty.txt", "--ignore", "R503")
    assert "R503" not in out


def test_project_framework_is_the_default(project: Path) -> None:
    text = "（一）预算执行率（分值10分，得9.5分）\n\n全年预算数200.00万元，全年执行数180.00万元，预算执行率90%。\n"
    (project / "r.txt").write_text(text, encoding="utf-8")
    assert "S260" in codes_in(run("check", "r.txt", "--format", "json")[1])
    (project / "pyproject.toml").write_text('[tool.jixiao]\nframework = "mof-2013-dept"\n', encoding="utf-8")
    assert "S260" not in codes_in(run("check", "r.txt", "--format", "json")[1])  # no such indicator there
    assert "S260" in codes_in(run("check", "r.txt", "--format", "json", "--framework", "mof-2020")[1])


def test_validate_select_and_ignore(project: Path) -> None:
    code, out, _ = run("validate", str(SEED_EXAMPLE), "--select", "B101")
    assert code == 1 and "B101" in out and "S201" not in out
    code, out, _ = run("validate", str(SEED_EXAMPLE), "--ignore", "B,S")
    assert code == 0 and "未发现问题" in out
    code, out, _ = run("score", str(SEED_EXAMPLE), "--ignore", "B,S")
    assert code == 0 and "B101" not in out and "总分" in out


def test_a_bad_project_file_or_code_stops_the_run(project: Path) -> None:
    (project / "jixiao.toml").write_text('select = ["B15"\n', encoding="utf-8")
    code, out, err = run("check", "r.txt", "--format", "json")
    assert code == 2 and out == "" and "jixiao.toml:1: I607" in err and "I607" in err
    (project / "jixiao.toml").unlink()
    code, _, err = run("validate", str(SEED_EXAMPLE), "--select", "B1O1")
    assert code == 2 and "`B1O1` 不是任何规则" in err


def test_checks_not_selected_do_not_run(tmp_path: Path) -> None:
    from jixiao.review.pipeline import check_file

    path = tmp_path / "r.txt"
    path.write_text(SNIPPET, encoding="utf-8")
    assert {f.code for f in check_file(path, enabled={"B152"}).findings} == {"B152"}
    assert check_file(path, enabled=set()).findings == []
