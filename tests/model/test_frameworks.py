"""Frameworks are data: built-ins load, user files load by path, bad files give located findings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.author.pipeline import evaluate
from jixiao.model.frameworks import FrameworkError, builtin_names, load_framework

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_frameworks_are_coherent(name):
    fw = load_framework(name)
    total = sum((spec.weight for spec in fw.level1), Decimal(0)) + (
        fw.execution.weight if fw.execution else 0
    )
    assert total == 100
    assert fw.grade_for(Decimal(100)) == fw.grades[0].name
    assert fw.grade_for(Decimal(0)) == fw.grades[-1].name
    assert [s.key for s in fw.outline][:2] == ["basic", "general_budget"]


def test_hunan_variant_extends_and_overrides_methods():
    base, hunan = load_framework("mof-2013-dept"), load_framework("hunan-2013-dept")
    assert [s.weight for s in hunan.level1] != [s.weight for s in base.level1]
    assert hunan.methods["预算调整率"].steps[0].points == "full"
    assert base.methods["预算调整率"].steps[0].share == 1
    assert hunan.methods["结转结余率"] == base.methods["结转结余率"]  # inherited unchanged


def test_grade_bands():
    fw = load_framework("mof-2020")
    assert [fw.grade_for(Decimal(x)) for x in ("90", "89.99", "80", "79.99", "60", "59.99")] == [
        "优",
        "良",
        "良",
        "中",
        "中",
        "差",
    ]


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "my-framework.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_user_framework_by_path_and_relative_to_data_file(tmp_path):
    fw_text = (ROOT / "src" / "jixiao" / "model" / "frameworks" / "mof-2020.yaml").read_text(encoding="utf-8")
    fw_text = fw_text.replace("name: mof-2020", "name: my-county").replace(
        "{name: 优, min: 90}", "{name: 优, min: 95}"
    )
    _write(tmp_path, fw_text)
    data = (ROOT / "examples" / "yanfeng-media-2024.yaml").read_text(encoding="utf-8")
    data = data.replace("framework: mof-2020", "framework: my-framework.yaml")
    (tmp_path / "unit.yaml").write_text(data, encoding="utf-8")
    result = evaluate(tmp_path / "unit.yaml")
    assert result.framework is not None and result.framework.name == "my-county"
    assert result.scored is not None
    assert result.scored.grade == ("优" if result.scored.total >= 95 else "良")


def test_weights_not_adding_to_100_is_a_located_finding(tmp_path):
    text = (ROOT / "src" / "jixiao" / "model" / "frameworks" / "mof-2020.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace("{name: 效益指标, weight: 30", "{name: 效益指标, weight: 35"))
    with pytest.raises(FrameworkError) as exc:
        load_framework(path)
    (finding,) = exc.value.findings
    assert finding.code == "I605"
    assert "105" in finding.message
    assert finding.location.path == path


def test_unknown_key_in_framework_names_closest(tmp_path):
    text = (ROOT / "src" / "jixiao" / "model" / "frameworks" / "mof-2020.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace("reverse_method:", "reverse_methd:"))
    with pytest.raises(FrameworkError) as exc:
        load_framework(path)
    messages = " ".join(f.message for f in exc.value.findings)
    assert "reverse_methd" in messages and "reverse_method" in messages
    assert all(f.location.line for f in exc.value.findings)


def test_syntax_error_and_missing_framework(tmp_path):
    path = _write(tmp_path, "name: x\nlevel1: [\n")
    with pytest.raises(FrameworkError) as exc:
        load_framework(path)
    assert exc.value.findings[0].code == "I605" and exc.value.findings[0].location.line
    with pytest.raises(FrameworkError) as exc:
        load_framework("no-such")
    assert "mof-2020" in exc.value.findings[0].message


def test_extends_cycle_is_reported(tmp_path):
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(f"extends: {b}\nname: a\n", encoding="utf-8")
    b.write_text(f"extends: {a}\nname: b\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as exc:
        load_framework(str(a))
    assert "循环" in exc.value.findings[0].message
