"""YAML with source positions: numbers become Decimals from their text, every value keeps its line.

ruamel's round-trip loader knows where each key and item came from; we turn its tree into plain
dicts/lists plus a map from dotted paths ("budget.total.annual") to Locations, so any later stage
(validation, rules) can point at the line the user typed.
"""

from __future__ import annotations

import difflib
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from jixiao.core.findings import Finding, Location
from jixiao.core.rules.registry import rule
from jixiao.core.yamldata import float_as_decimal, load_yaml_data

__all__ = ["SourceMap", "closest", "join", "load_yaml", "load_yaml_data", "locate"]


class _DecimalConstructor(RoundTripConstructor):
    """Floats are built from the scalar text so 279.10 keeps its two decimals."""


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", float_as_decimal)

SourceMap = dict[str, Location]


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Constructor = _DecimalConstructor
    return y


def join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def _plain(node: Any, path: str, file: str, smap: SourceMap) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            sub = join(path, str(key))
            try:
                line, col = node.lc.value(key)
            except (KeyError, TypeError, IndexError):
                line, col = node.lc.line, node.lc.col
            smap[sub] = Location(path=file, line=line + 1, column=col + 1)
            try:
                kline, kcol = node.lc.key(key)
                smap[sub + "#key"] = Location(path=file, line=kline + 1, column=kcol + 1)
            except (KeyError, TypeError, IndexError):
                pass
            out[str(key) if not isinstance(key, (int, Decimal)) else key] = _plain(value, sub, file, smap)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            sub = join(path, i)
            try:
                line, col = node.lc.item(i)
                smap[sub] = Location(path=file, line=line + 1, column=col + 1)
            except (KeyError, TypeError, IndexError):
                pass
            items.append(_plain(value, sub, file, smap))
        return items
    if isinstance(node, str):
        return str(node)
    return node


def load_yaml(text: str, file: str) -> tuple[Any, SourceMap, list[Finding]]:
    """Parse YAML text. Returns (plain data, source map, findings); data is None on a syntax error."""
    smap: SourceMap = {}
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path=file, line=mark.line + 1, column=mark.column + 1) if mark else Location(path=file)
        problem = exc.problem or exc.context or "语法错误"
        return (
            None,
            smap,
            [
                rule("I601").finding(
                    f"YAML 语法错误：{_zh_problem(problem)}（请检查该行的缩进、冒号和引号）",
                    loc,
                    excerpt=_line(text, loc.line),
                    values={"problem": str(problem)},
                )
            ],
        )
    except Exception as exc:  # ruamel raises a few unmarked errors (e.g. bad tags)
        return None, smap, [rule("I601").finding(f"YAML 无法解析：{exc}", Location(path=file))]
    smap[""] = Location(path=file, line=1, column=1)
    return _plain(tree, "", file, smap), smap, []


def _zh_problem(problem: str) -> str:
    table = {
        "mapping values are not allowed here": "此处不能出现“键: 值”（可能缺少缩进或多了冒号）",
        "could not find expected ':'": "缺少冒号“:”",
        "found character '\\t' that cannot start any token": "不能用制表符缩进，请改用空格",
        "expected <block end>, but found '<block mapping start>'": "缩进不一致",
        "found undefined alias": "引用了未定义的别名",
    }
    for key, zh in table.items():
        if problem.startswith(key):
            return zh
    return problem


def _line(text: str, line: int | None) -> str:
    if not line:
        return ""
    lines = text.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def closest(name: str, candidates: list[str]) -> str | None:
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return found[0] if found else None


def locate(smap: SourceMap, path: str, default: Location | None = None) -> Location:
    """The location of a dotted path, or of its nearest ancestor that has one."""
    probe = path
    while True:
        if probe in smap:
            return smap[probe]
        if not probe:
            return default or Location()
        probe = probe.rpartition(".")[0]
