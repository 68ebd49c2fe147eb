"""Scoring frameworks are data files (weights, scoring methods, grade bands, report outline).

Built-in ones ship as ``*.yaml`` beside this module; a user's own is any file in the same format,
selected by path. ``extends: NAME`` copies another framework and overrides the keys it gives
(``methods`` are merged key by key).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jixiao.core.findings import Finding, Location
from jixiao.core.rules.registry import rule
from jixiao.core.yamldata import load_yaml_data
from jixiao.model.frameworks.parts import (
    Band,
    ExecutionItem,
    Framework,
    Grade,
    Level1Spec,
    Method,
    Section,
    Step,
)
from jixiao.model.frameworks.read import NotPlain, framework_from

__all__ = [
    "Band",
    "ExecutionItem",
    "Framework",
    "FrameworkError",
    "Grade",
    "Level1Spec",
    "Method",
    "Section",
    "Step",
    "builtin_names",
    "load_framework",
]


class FrameworkError(Exception):
    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.render() for f in findings))
        self.findings = findings


# The built-in frameworks are files beside this module (importlib.resources: 7 ms more of imports).
_HERE = Path(__file__).parent


def builtin_names() -> list[str]:
    return sorted(p.name.removesuffix(".yaml") for p in _HERE.iterdir() if p.name.endswith(".yaml"))


def _raw(name_or_path: str) -> tuple[str, str]:
    """(text, shown file name) of a framework given by built-in name or path."""
    if name_or_path in builtin_names():
        res = _HERE / f"{name_or_path}.yaml"
        return res.read_text(encoding="utf-8"), f"<内置框架 {name_or_path}>"
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path.read_text(encoding="utf-8"), str(path)
    raise FrameworkError(
        [
            rule("I605").finding(
                f"找不到评价框架 {name_or_path!r}：内置框架有 {', '.join(builtin_names())}，或给出 .yaml 文件路径",
                Location(path=name_or_path),
            )
        ]
    )


class _Unusual(Exception):
    """Raised by a quick read (``_data(quick=True)``) where the careful one has something to say."""


def _data(
    name_or_path: str, seen: tuple[str, ...] = (), *, quick: bool = False
) -> tuple[dict[str, Any], dict[str, Location], str]:
    """The framework's data with ``extends`` applied, its source map and its shown name. ``quick``:
    without positions (an empty map), raising ``_Unusual`` at anything the careful read reports."""
    text, shown = _raw(name_or_path)
    smap: dict[str, Location] = {}
    findings: list[Finding] = []
    if quick:
        data = load_yaml_data(text)
        if not isinstance(data, dict):
            raise _Unusual
    else:
        from jixiao.core.yamlio import load_yaml  # positions: only for a framework to report on

        data, smap, findings = load_yaml(text, shown)
    if findings:
        raise FrameworkError(
            [rule("I605").finding(f.message, f.location, excerpt=f.excerpt) for f in findings]
        )
    if not isinstance(data, dict):
        raise FrameworkError(
            [rule("I605").finding("框架文件须是一个映射（键: 值）", Location(path=shown, line=1))]
        )
    parent = data.get("extends")
    for key in ("methods", "tiers"):
        if key in data and not isinstance(data[key], dict):
            if quick:
                raise _Unusual
            raise FrameworkError(
                [rule("I605").finding(f"`{key}` 须是“名称: 设置”的映射", smap.get(key, Location(path=shown)))]
            )
    if parent:
        parent_path = Path(shown).parent / str(parent)
        if (
            str(parent) not in builtin_names()
            and not Path(str(parent)).is_absolute()
            and parent_path.is_file()
        ):
            parent = str(parent_path)  # a parent file is found beside the child, as a user expects
        if parent in seen:
            if quick:
                raise _Unusual
            raise FrameworkError(
                [rule("I605").finding(f"extends 循环：{' → '.join((*seen, parent))}", smap.get("extends"))]
            )
        base, _, _ = _data(str(parent), (*seen, name_or_path), quick=quick)
        methods = {**base.get("methods", {}), **data.get("methods", {})}
        data = {**base, **data, "methods": methods}
    return data, smap, shown


@cache
def load_framework(name_or_path: str = "mof-2020") -> Framework:
    """Load a framework by built-in name or file path. Raises FrameworkError (with findings) if invalid.

    Read first without positions and without pydantic (the C parser, no source map, plain objects:
    `jixiao check` starts faster); a framework that does not load that way is read again with positions
    and validated by pydantic, for its findings."""
    try:
        return framework_from(_data(name_or_path, quick=True)[0])
    except (_Unusual, NotPlain):
        pass
    from jixiao.core.validate import validate  # pydantic: only for a file to report on

    data, smap, shown = _data(name_or_path)
    fw, findings = validate(Framework, data, smap, shown)
    if fw is None:
        raise FrameworkError([rule("I605").finding(f.message, f.location, values=f.values) for f in findings])
    return fw
