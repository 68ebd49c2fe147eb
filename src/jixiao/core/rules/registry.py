"""One registry of rules (ruff's habit): stable code, slug, severity and one Chinese doc per rule.

Rule metadata and docs are data: every ``*.yaml`` file beside this module is a catalog of rules.
Check functions register against a code with ``@check(code, target)`` when their module is imported:
each path imports its own checks (``jixiao.author.checks``, ``jixiao.review.checks``), and this core
module imports neither. A rule may have checks for several targets (``model`` = the typed evaluation,
``document`` = claims read from an existing report, ``bundle`` = a report and its 自评表), or none at all
when a pipeline stage emits it directly (reading and input errors).

Codes are never reused: a retired code stays in the catalog with ``retired: true``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.core.findings import Finding, Location, Severity
from jixiao.core.yamldata import safe_yaml

DOC_SECTIONS = ("作用", "为何重要", "示例", "应当怎样", "已知局限", "依据")
CATEGORIES = {
    "B": "预算金额与比率",
    "S": "指标、分值与得分",
    "T": "报告结构",
    "Q": "数量与一致性",
    "R": "读取文件",
    "I": "输入数据",
}
TARGETS = ("model", "document", "bundle")  # bundle: a report against its 自评表 (review.submission)


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    name: str  # 中文名称
    severity: Severity  # the usual level, and the one `jixiao rules` names first
    doc: Mapping[str, str]  # section -> text (read from the catalogue when first asked for)
    retired: bool = False
    also: tuple[
        Severity, ...
    ] = ()  # other levels its findings may carry (e.g. warning for approximate figures)
    checks: dict[str, list[Callable[..., Iterable[Finding]]]] = field(default_factory=dict, compare=False)

    @property
    def severities(self) -> tuple[Severity, ...]:
        """Every level this rule's findings may carry: the catalogue is the one place that says so."""
        return (self.severity, *self.also)

    @property
    def severity_label(self) -> str:
        """ "错误" or, for a rule that may also warn, "错误/警告" (as `jixiao rules` and the docs list it)."""
        return "/".join(s.label for s in self.severities)

    @property
    def category(self) -> str:
        return CATEGORIES.get(self.code[0], "")

    def finding(
        self,
        message: str,
        location: Location | None = None,
        *,
        excerpt: str = "",
        values: dict[str, str] | None = None,
        related: Iterable[tuple[str, Location]] = (),
        severity: Severity | None = None,
    ) -> Finding:
        """Make a finding of this rule (severity may be lowered, e.g. approximate figures -> warning).

        A level the catalogue does not list for this rule is a programming error: the listing would
        then say one level and the output another (issue 10: Q401 listed as 错误, reported as 警告).
        """
        if severity is not None and severity not in self.severities:
            raise CatalogError(
                f"rule {self.code} emits {severity.value}, not declared in its catalogue entry"
            )
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=message,
            location=location or Location(),
            excerpt=excerpt,
            values=dict(values or {}),
            related=tuple(related),
        )

    def explain(self) -> str:
        lines = [
            f"{self.code} {self.slug} — {self.name}",
            f"类别：{self.category}    级别：{self.severity_label}",
            "",
        ]
        for section in DOC_SECTIONS:
            lines.append(f"## {section}")
            lines.append(self.doc.get(section, "").strip() or "（无）")
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


class CatalogError(Exception):
    pass


class _Doc(Mapping[str, str]):
    """A rule's doc sections, read from its block of the catalogue when first asked for: a check needs
    only codes, names and levels, and the docs are four fifths of the catalogues' text (start-up)."""

    def __init__(self, block: str) -> None:
        self._block = block
        self._sections: dict[str, str] | None = None

    def _read(self) -> dict[str, str]:
        if self._sections is None:
            data = safe_yaml().load(textwrap.dedent(self._block)) or {}
            self._sections = {str(k): str(v) for k, v in data.items()}
        return self._sections

    def __getitem__(self, key: str) -> str:
        return self._read()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return repr(self._read())


_CODE_LINE = re.compile(r"[A-Z]\d{3}:[ \t]*\r?\n?")


def _docs_apart(text: str) -> tuple[str, dict[str, str]] | None:
    """(the catalogue without its rules' ``doc:`` blocks, each rule's block), or None when the file is
    not laid out as the catalogues are (a code at the start of a line, ``  doc:`` alone on its line,
    its sections indented four spaces): such a file is read whole."""
    heads: list[str] = []
    blocks: dict[str, list[str]] = {}
    code: str | None = None
    in_doc = False
    for line in text.splitlines(keepends=True):
        if line[:1] not in (" ", "\t", "\r", "\n", "#", ""):
            if not _CODE_LINE.fullmatch(line):
                return None
            code, in_doc = line.split(":", 1)[0], False
        elif in_doc and (line.startswith("    ") or not line.strip()):
            blocks[str(code)].append(line)
            continue
        elif line.startswith("  doc:"):
            if code is None or code in blocks or line[len("  doc:") :].strip():
                return None
            blocks[code], in_doc = [], True
            continue
        else:
            in_doc = False
        heads.append(line)
    return "".join(heads), {c: "".join(lines) for c, lines in blocks.items()}


# Check functions by rule code and target, registered by @check; each rule's ``checks`` is its entry.
_REGISTERED: dict[str, dict[str, list[Callable[..., Iterable[Finding]]]]] = {}


@cache
def _catalog() -> dict[str, Rule]:
    yaml = safe_yaml()
    rules: dict[str, Rule] = {}
    slugs: dict[str, str] = {}
    # The catalogues are files beside this module (importlib.resources would add 7 ms of imports).
    for entry in sorted(Path(__file__).parent.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        text = entry.read_text(encoding="utf-8")
        apart = _docs_apart(text)
        data = yaml.load(apart[0] if apart else text) or {}
        for code, meta in data.items():
            if code in rules:
                raise CatalogError(f"{entry.name}: rule code {code} defined twice")
            block = apart[1].get(str(code)) if apart else None
            rule = _rule_from(entry.name, str(code), meta, block)
            if rule.slug in slugs:
                raise CatalogError(f"{entry.name}: slug {rule.slug} used by {slugs[rule.slug]} and {code}")
            slugs[rule.slug] = rule.code
            rules[rule.code] = rule
    for code in _REGISTERED:
        if code not in rules:
            raise CatalogError(f"unknown rule code {code}: add it to a catalog in jixiao/core/rules/*.yaml")
    return rules


def _rule_from(source: str, code: str, meta: dict[str, Any], doc_block: str | None = None) -> Rule:
    try:
        doc: Mapping[str, str] = (
            _Doc(doc_block)
            if doc_block is not None
            else {k: str(v) for k, v in (meta.get("doc") or {}).items()}
        )
        return Rule(
            code=code,
            slug=str(meta["slug"]),
            name=str(meta["name"]),
            severity=Severity(meta["severity"]),
            doc=doc,
            retired=bool(meta.get("retired", False)),
            also=tuple(Severity(s) for s in meta.get("also") or ()),
            checks=_REGISTERED.setdefault(code, {}),  # the same dict: checks registered later are seen too
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise CatalogError(f"{source}: rule {code}: {exc}") from exc


def all_rules() -> list[Rule]:
    return sorted(_catalog().values(), key=lambda r: r.code)


def get_rule(code_or_slug: str) -> Rule | None:
    rules = _catalog()
    key = code_or_slug.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    for rule in rules.values():
        if rule.slug == key:
            return rule
    return None


def finding_dict(f: Finding) -> dict[str, Any]:
    """``f`` as JSON data, with its rule's slug (the finding itself knows only its code)."""
    found = get_rule(f.code)
    return f.to_dict(found.slug if found else "")


def rule(code: str) -> Rule:
    """The rule for a code that must exist (used by stages that emit findings directly)."""
    found = _catalog().get(code)
    if found is None:
        raise CatalogError(f"unknown rule code {code}: add it to a catalog in jixiao/core/rules/*.yaml")
    return found


def check(
    code: str, target: str = "model"
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a check function for rule ``code`` on ``target`` ('model' or 'document')."""
    if target not in TARGETS:
        raise CatalogError(f"unknown target {target}")

    def decorate(fn: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        # Kept by code: the catalog is read when first needed, not when a module of checks is imported.
        if _catalog.cache_info().currsize:
            rule(code)  # an unknown code fails here once the catalog is read, at catalog load before
        _REGISTERED.setdefault(code, {}).setdefault(target, []).append(fn)
        _CHECKS_FOR.clear()  # a check registered later (a plugin, a test) is seen by the next run
        return fn

    return decorate


_Checks = list[tuple[Rule, Callable[..., Iterable[Finding]]]]
# checks_for's answers: the catalog is sorted once per (target, rule set), not once per file of a batch.
_CHECKS_FOR: dict[tuple[str, frozenset[str] | None], _Checks] = {}


def checks_for(target: str, enabled: Iterable[str] | None = None) -> _Checks:
    allowed = frozenset(enabled) if enabled is not None else None
    cached = _CHECKS_FOR.get((target, allowed))
    if cached is not None:
        return list(cached)
    out = []
    for r in all_rules():
        if r.retired or (allowed is not None and r.code not in allowed):
            continue
        for fn in r.checks.get(target, []):
            out.append((r, fn))
    _CHECKS_FOR[(target, allowed)] = out
    return list(out)


def run_checks(target: str, subject: Any, *args: Any, enabled: Iterable[str] | None = None) -> list[Finding]:
    """Run every check for ``target``; a check that raises becomes one finding, the rest go on."""
    findings: list[Finding] = []
    begin = getattr(subject, "begin_checks", None)
    if begin is not None:
        begin()  # a subject that keeps what its checks share (ReviewContext.derive) starts afresh
    for r, fn in checks_for(target, enabled):
        try:
            findings.extend(fn(subject, *args))
        except Exception as exc:
            findings.append(
                Finding(
                    code=r.code,
                    severity=Severity.WARNING,
                    message=f"规则 {r.code} 执行失败（程序缺陷，请报告）：{type(exc).__name__}: {exc}",
                )
            )
    return findings
