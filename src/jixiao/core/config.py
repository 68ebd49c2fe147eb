"""The project file and rule selection, as ruff has them: which rules run, on which files.

A project keeps its choices in ``jixiao.toml`` (keys at the top) or in the ``[tool.jixiao]`` table of a
``pyproject.toml``; the nearest folder from the working folder upwards that has one wins, and in one folder
``jixiao.toml`` wins over ``pyproject.toml`` (a ``pyproject.toml`` without ``[tool.jixiao]`` does not count).

    framework = "mof-2013-dept"          # the default of --framework (a .yaml file: relative to this file)
    select = ["B", "S2"]                 # codes or prefixes; absent = every rule
    ignore = ["S259"]
    [per-file-ignores]                   # [tool.jixiao.per-file-ignores] in a pyproject.toml
    "2023/*.docx" = ["T30"]              # glob (relative to the project file's folder, or a file name) → codes

Selection follows ruff: within one layer (the file, then the command line) the most specific selector that
matches a code decides (``select = ["B"]``, ``ignore = ["B15"]``: B151 off, B101 on; a tie goes to
``ignore``); a layer that selects replaces what the layers before it selected, so the command line beats the
file. Reading (R) and input (I) findings come from pipeline stages rather than checks, so selection applies
to findings as well as to the checks that run (``RuleSelection.keep``).

Pure: reading a file is the only I/O; problems are I607 findings with the file and line, never exceptions.
"""

from __future__ import annotations

import contextlib
import difflib
import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.core.findings import Finding, Location
from jixiao.core.rules.registry import all_rules, rule

CONFIG_NAMES = ("jixiao.toml", "pyproject.toml")
KEYS = ("framework", "select", "ignore", "per-file-ignores")

# One layer of selectors: (select or None when the layer selects nothing, ignore).
_Layer = tuple[tuple[str, ...] | None, tuple[str, ...]]


@dataclass(frozen=True)
class RuleSelection:
    """Which codes are on; picklable, so a batch hands it to its worker processes."""

    layers: tuple[_Layer, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: str = ""  # the project file's folder: per-file globs are relative to it

    def with_layer(self, select: Sequence[str] | None, ignore: Sequence[str]) -> RuleSelection:
        """A layer on top (the command line over the file): its selection replaces theirs where it selects."""
        if select is None and not ignore:
            return self
        layer = (tuple(select) if select is not None else None, tuple(ignore))
        return RuleSelection((*self.layers, layer), self.per_file_ignores, self.root)

    @property
    def is_everything(self) -> bool:
        return not self.layers and not self.per_file_ignores

    def enabled(self, code: str) -> bool:
        on = True
        for select, ignore in self.layers:
            chosen = _longest(select or (), code)
            dropped = _longest(ignore, code)
            if select is not None:
                on = chosen > 0 and chosen > dropped
            elif dropped:
                on = False
        return on

    def codes(self) -> frozenset[str] | None:
        """The codes on (for ``run_checks(enabled=…)``); None when every rule is on."""
        if not self.layers:
            return None
        return frozenset(r.code for r in all_rules() if self.enabled(r.code))

    def ignored_for(self, path: str) -> tuple[str, ...]:
        if not path or not self.per_file_ignores:
            return ()
        names = _names(path, self.root)
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            if any(fnmatch.fnmatch(name, pattern) for name in names):
                out.extend(codes)
        return tuple(out)

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings of the codes that are on for their file (config errors always stay)."""
        kept = []
        for f in findings:
            if f.code == "I607" or (
                self.enabled(f.code) and not _longest(self.ignored_for(f.location.path), f.code)
            ):
                kept.append(f)
        return kept


def _longest(selectors: Iterable[str], code: str) -> int:
    """The length of the longest selector that is a prefix of ``code`` (0: none matches)."""
    return max((len(s) for s in selectors if code.startswith(s)), default=0)


def _names(path: str, root: str) -> list[str]:
    """The forms a per-file glob is matched against: relative to the project, as given, the file name."""
    p = Path(path)
    names = [p.as_posix(), p.name]
    if root:
        with contextlib.suppress(ValueError, OSError):  # a file outside the project: its own names only
            names.insert(0, p.resolve().relative_to(Path(root).resolve()).as_posix())
    return names


def parse_selectors(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """Codes or prefixes from comma-separated values (``B15,S259``), upper-cased; and those no code has."""
    selectors = [part.upper() for value in values for part in re.split(r"[,，\s]+", str(value)) if part]
    if not selectors:
        return [], []  # nothing asked: the catalogs need not be read
    known = [r.code for r in all_rules()]
    good = [s for s in selectors if any(code.startswith(s) for code in known)]
    return good, [s for s in selectors if s not in good]


@dataclass
class ProjectConfig:
    path: Path | None = None  # the file read; None when there is none
    framework: str | None = None
    selection: RuleSelection = field(default_factory=RuleSelection)
    findings: list[Finding] = field(default_factory=list)  # I607: what is wrong with the file


def find_config(start: Path) -> Path | None:
    """The nearest project file from ``start`` upwards (jixiao.toml, or a pyproject.toml with [tool.jixiao])."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "jixiao.toml"
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*jixiao\s*[\].]", text, re.M) is not None


def project_config(start: Path | None = None) -> ProjectConfig:
    """The project file that governs ``start`` (default: the working folder), read; empty when there is none."""
    path = find_config(start or Path.cwd())
    return load_config(path) if path is not None else ProjectConfig()


def load_config(path: Path) -> ProjectConfig:
    shown = str(path)
    config = ProjectConfig(path=path)

    def problem(message: str, needle: str = "") -> None:
        line = _line_of(text, needle) if needle else None
        config.findings.append(rule("I607").finding(message, Location(path=shown, line=line)))

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        text = ""
        problem(f"无法读取项目配置文件：{getattr(exc, 'strerror', None) or exc}")
        return config
    import tomllib  # here: most runs find no project file (5 ms of start-up)

    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        if where:
            location = Location(path=shown, line=int(where[1]), column=int(where[2]))
        else:  # "at end of document": the last line
            location = Location(path=shown, line=max(1, len(text.splitlines())))
        reason = re.sub(r"\s*\(at (line|end).*\)$", "", str(exc))
        config.findings.append(rule("I607").finding(f"TOML 语法错误：{reason}", location))
        return config
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("jixiao", {})
        if not isinstance(data, dict):
            problem("[tool.jixiao] 须是一个表", "jixiao")
            return config
    for key in data:
        if key not in KEYS:
            near = next(iter(difflib.get_close_matches(key, KEYS, n=1, cutoff=0.5)), None)
            hint = f"；是否应为 `{near}`？" if near else f"（可用：{'、'.join(KEYS)}）"
            problem(f"未知的配置项 `{key}`{hint}", key)
    framework = data.get("framework")
    if framework is not None:
        if isinstance(framework, str) and framework.strip():
            config.framework = framework.strip()
            if config.framework.endswith((".yaml", ".yml")) and not Path(config.framework).is_absolute():
                # A framework file named in the project file is relative to it, as in ruff's own paths.
                config.framework = str(path.parent / config.framework)
        else:
            problem("framework 须是评价框架的名称或文件路径（字符串）", "framework")
    layer: dict[str, list[str] | None] = {"select": None, "ignore": None}
    for key in ("select", "ignore"):
        if key in data:
            layer[key] = _codes(data[key], key, problem)
    per_file: list[tuple[str, tuple[str, ...]]] = []
    table = data.get("per-file-ignores", {})
    if not isinstance(table, dict):
        problem("per-file-ignores 须是“文件模式 = [规则代码]”的表", "per-file-ignores")
        table = {}
    for pattern, codes in table.items():
        per_file.append((str(pattern), tuple(_codes(codes, f"per-file-ignores.{pattern}", problem))))
    selection = RuleSelection(per_file_ignores=tuple(per_file), root=str(path.parent))
    config.selection = selection.with_layer(layer["select"], layer["ignore"] or [])
    return config


def _codes(value: Any, key: str, problem: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem(f'{key} 须是规则代码或前缀的列表，例如 ["B15", "S259"]', key.split(".")[0])
        return []
    good, bad = parse_selectors(value)
    for selector in bad:
        problem(f"{key} 中的 `{selector}` 不是任何规则的代码或前缀（`jixiao rules` 列出全部规则）", selector)
    return good


def _line_of(text: str, needle: str) -> int | None:
    """The first line that holds ``needle`` (TOML keeps no positions; a key or value is found by its text)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle.lower() in line.lower():
            return number
    return None
